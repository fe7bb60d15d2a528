import { useId } from 'react';
import { useI18n } from '../i18n';

export interface SafetyPoint {
  year: number;
  share: number | null;
  comparable: number | null;
}

const W = 480;
const H = 210;
const M = { left: 44, right: 14, top: 14, bottom: 30 };

/**
 * The safety index (Tryghedsindeks) of an area year by year against
 * comparable areas: two lines told apart by stroke and marker as well as
 * colour, a text summary for screen readers, and the figures as a table.
 */
export function SafetyChart({ area, points }: { area: string; points: SafetyPoint[] }) {
  const { t, percent } = useI18n();
  const id = useId();
  const shown = points.filter((p) => p.share !== null || p.comparable !== null);
  if (shown.length === 0) return <p className="muted">{t.none}</p>;
  const first = shown[0]!;
  const last = shown[shown.length - 1]!;
  const values = shown.flatMap((p) => [p.share, p.comparable]).filter((v): v is number => v !== null);
  const low = Math.max(0, Math.floor((Math.min(...values) - 2) / 5) * 5);
  const high = Math.min(100, Math.ceil((Math.max(...values) + 2) / 5) * 5);
  const x = (year: number) => M.left + ((year - first.year) / Math.max(1, last.year - first.year)) * (W - M.left - M.right);
  const y = (value: number) => M.top + (1 - (value - low) / Math.max(1, high - low)) * (H - M.top - M.bottom);
  const path = (key: 'share' | 'comparable') =>
    shown
      .filter((p) => p[key] !== null)
      .map((p, i) => `${i === 0 ? 'M' : 'L'}${x(p.year).toFixed(1)},${y(p[key]!).toFixed(1)}`)
      .join(' ');
  const step = high - low > 30 ? 10 : 5;
  const gridValues: number[] = [];
  for (let v = low; v <= high; v += step) gridValues.push(v);
  const labelEvery = shown.length > 8 ? 2 : 1;
  const title = t.chartTitle(area, first.year, last.year);
  const description = t.chartDescription(area, percent(first.share), percent(last.share), `${percent(first.comparable)} → ${percent(last.comparable)}`);

  return (
    <figure className="chart">
      <figcaption id={`${id}-title`}>{title}</figcaption>
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-labelledby={`${id}-title ${id}-desc`} focusable="false">
        <desc id={`${id}-desc`}>{description}</desc>
        <g className="grid" aria-hidden="true">
          {gridValues.map((v) => (
            <g key={v}>
              <line x1={M.left} x2={W - M.right} y1={y(v)} y2={y(v)} />
              <text x={M.left - 6} y={y(v) + 4} textAnchor="end">
                {v} %
              </text>
            </g>
          ))}
          {shown.map((p, i) =>
            i % labelEvery === 0 || i === shown.length - 1 ? (
              <text key={p.year} x={x(p.year)} y={H - 10} textAnchor="middle">
                {p.year}
              </text>
            ) : null,
          )}
        </g>
        <path className="line comparable" d={path('comparable')} />
        <path className="line share" d={path('share')} />
        {shown.map((p) =>
          p.comparable !== null ? <rect key={`c${p.year}`} className="marker comparable" x={x(p.year) - 3} y={y(p.comparable) - 3} width={6} height={6} /> : null,
        )}
        {shown.map((p) => (p.share !== null ? <circle key={`s${p.year}`} className="marker share" cx={x(p.year)} cy={y(p.share)} r={3.5} /> : null))}
      </svg>
      <ul className="legend" aria-hidden="true">
        <li>
          <span className="swatch share" /> {t.shareFeelingSafe}
        </li>
        <li>
          <span className="swatch comparable" /> {t.comparableAreas}
        </li>
      </ul>
      <details>
        <summary>{t.showAsTable}</summary>
        <table className="data-table compact">
          <caption className="visually-hidden">{title}</caption>
          <thead>
            <tr>
              <th scope="col">{t.year}</th>
              <th scope="col">{t.shareFeelingSafe}</th>
              <th scope="col">{t.comparableAreas}</th>
            </tr>
          </thead>
          <tbody>
            {shown.map((p) => (
              <tr key={p.year}>
                <th scope="row">{p.year}</th>
                <td>{percent(p.share)}</td>
                <td>{percent(p.comparable)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
}
