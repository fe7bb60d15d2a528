import { once } from 'node:events';
import { createWriteStream } from 'node:fs';

/**
 * A synthetic tenancy-system export (lejemål) of `rows` rows for FOB's
 * departments 21 and 22, as a Danish `;`-separated CSV with BOM, streamed to
 * disk so that a file of a million rows never sits in memory. Names are made
 * up (no real person); tenant ids are distinct pseudonyms.
 */
export async function writeTenancyExport(path: string, rows: number): Promise<void> {
  const out = createWriteStream(path);
  out.write('\uFEFFLejemål;Afdeling;Adresse;Lejer-id;Lejer;Husstand;Indflytningsdato;Fraflytningsdato;Husleje\r\n');
  const alphabet = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
  for (let i = 1; i <= rows; i++) {
    let id = 'P';
    for (let k = 0, x = i * 7919; k < 10; k++, x = Math.floor(x / 32)) id += alphabet[(x + k * 13) % 32];
    const d = i % 2 ? 21 : 22;
    const line = `${d}-${String(i).padStart(7, '0')};${d};Ringparken ${(i % 120) + 1}, ${i % 4}. tv.;${id};Søren Ærøe Åberg ${i % 97};${1 + (i % 5)};${String(1 + (i % 28)).padStart(2, '0')}-${String(1 + (i % 12)).padStart(2, '0')}-${2000 + (i % 24)};${i % 7 === 0 ? '01-03-2025' : ''};${4000 + (i % 5000)},50\r\n`;
    if (!out.write(line)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
}
