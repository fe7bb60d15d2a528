import { explorerPlugin } from '@graphiql/plugin-explorer';
import { useEditorContext, type GraphiQLPlugin } from '@graphiql/react';
import { listsIn, toCsv, type ResultList } from '@partnergraph/operations';
import { GraphiQL } from 'graphiql';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import examples from 'virtual:registered-examples';
import { PurposePicker } from '../../web/src/components/PurposePicker';
import { useI18n } from '../../web/src/i18n';
import type { Session } from '../../web/src/session';
import { costOf, run, type Cost, type GraphQLAnswer } from './api';

const PURPOSE_KEY = 'partnergraph.workbench.purpose';
const explorer = explorerPlugin();
const format = new Intl.NumberFormat('da-DK', { maximumFractionDigits: 1 });

/** The registered operations, each opening in a new tab with its variables. */
function ExampleList() {
  const editor = useEditorContext({ nonNull: true });
  const open = (example: (typeof examples)[number]) => {
    editor.addTab();
    // The new tab's editors are emptied as it opens; fill them after.
    setTimeout(() => {
      editor.queryEditor?.setValue(example.query);
      editor.variableEditor?.setValue(example.variables);
    }, 0);
  };
  return (
    <div className="wb-examples">
      <h2>Gemte forespørgsler</h2>
      <p className="wb-help">De registrerede forespørgsler (schema/operations) som eksempler. Åbnes i en ny fane med variabler.</p>
      <ul>
        {examples.map((example) => (
          <li key={example.name}>
            <button type="button" onClick={() => open(example)}>
              {example.name}
            </button>
          </li>
        ))}
      </ul>
    </div>
  );
}

const examplesPlugin: GraphiQLPlugin = {
  title: 'Gemte forespørgsler (examples)',
  icon: () => (
    <svg viewBox="0 0 24 24" width="20" height="20" aria-hidden="true">
      <path d="M5 3h10l4 4v14H5z M14 3v5h5 M8 12h8 M8 16h8" fill="none" stroke="currentColor" strokeWidth="1.5" />
    </svg>
  ),
  content: ExampleList,
};
/** One array for the life of the page: GraphiQL resets its side bar when handed a new one. */
const PLUGINS = [explorer, examplesPlugin];

/** The cost line: cost against budget, and where most of it is; red when over. */
function CostLine({ check }: { check: GraphQLAnswer | null }) {
  if (!check) return <output className="wb-cost">Pris: –</output>;
  const cost: Cost | undefined = check.extensions?.cost ?? undefined;
  const error = check.errors?.[0];
  const over = cost?.withinBudget === false;
  return (
    <output className={`wb-cost${over ? ' wb-over' : ''}`} data-testid="cost" aria-live="polite">
      {cost ? (
        <>
          {over ? 'Over budget: ' : 'Pris: '}
          {format.format(cost.total)} af {format.format(cost.budget)}
          {cost.costliest ? ` · dyreste del: ${cost.costliest.path} (${format.format(cost.costliest.cost)})` : ''}
        </>
      ) : (
        <>Pris: – {error ? `(${error.extensions?.code ?? 'fejl'})` : ''}</>
      )}
    </output>
  );
}

function download(name: string, text: string) {
  const url = URL.createObjectURL(new Blob([text], { type: 'text/csv;charset=utf-8' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** GraphiQL over the gateway as the signed-in person, under the chosen purpose: cost as you type, CSV out. */
export function Workbench({ session, onSignOut }: { session: Session; onSignOut(): void }) {
  const { t } = useI18n();
  const [purpose, setPurpose] = useState<string | undefined>(() => {
    const kept = sessionStorage.getItem(PURPOSE_KEY);
    return kept && session.purposes.includes(kept) ? kept : session.purposes[0];
  });
  const [check, setCheck] = useState<GraphQLAnswer | null>(null);
  const [result, setResult] = useState<{ answer: GraphQLAnswer; operationName: string } | null>(null);
  const [listPath, setListPath] = useState('');
  const typing = useRef<{ timer?: ReturnType<typeof setTimeout>; abort?: AbortController }>({});

  const choosePurpose = (next: string) => {
    sessionStorage.setItem(PURPOSE_KEY, next);
    setPurpose(next);
  };

  // The cost of what is in the editor, asked of the gateway 400 ms after typing stops.
  const onEditQuery = useCallback(
    (query: string) => {
      clearTimeout(typing.current.timer);
      typing.current.abort?.abort();
      if (!purpose || !query.trim()) return setCheck(null);
      typing.current.timer = setTimeout(() => {
        const abort = (typing.current.abort = new AbortController());
        costOf(session, purpose, { query }, abort.signal).then(setCheck, () => undefined);
      }, 400);
    },
    [session, purpose],
  );
  useEffect(() => () => clearTimeout(typing.current.timer), []);

  const fetcher = useMemo(
    () =>
      async (params: { query: string; operationName?: string | null; variables?: Record<string, unknown> | null }) => {
        if (!purpose) return { errors: [{ message: 'Vælg et formål.' }] };
        if (params.operationName === 'IntrospectionQuery') return run(session, purpose, params);
        // Refused before it runs: a query over the budget (or invalid) gets the check's answer, and nothing executes.
        const verdict = await costOf(session, purpose, params);
        setCheck(verdict);
        if (verdict.errors?.length) return verdict;
        const answer = await run(session, purpose, params);
        setResult({ answer, operationName: params.operationName || 'resultat' });
        return answer;
      },
    [session, purpose],
  );

  const lists: ResultList[] = useMemo(() => listsIn(result?.answer.data ?? null).filter((l) => l.rows.length > 0), [result]);
  const chosen = lists.find((l) => l.path === listPath) ?? lists[0];
  const saveCsv = () => {
    if (!chosen || !result) return;
    download(`${result.operationName}-${chosen.path.replace(/[^\w.-]+/g, '_')}.csv`, toCsv(chosen.rows));
  };

  return (
    <div className="wb">
      <header className="wb-bar">
        <strong className="wb-title">Arbejdsbord</strong>
        <span className="wb-who">
          {t.signedInAs} {session.persona ?? session.subject} ({session.organisation}, {session.roles.join(', ')})
        </span>
        <PurposePicker allowed={session.purposes} needed={[]} value={purpose} onChange={choosePurpose} />
        <CostLine check={check} />
        <span className="wb-csv">
          <label htmlFor="wb-list">Liste</label>
          <select id="wb-list" value={chosen?.path ?? ''} onChange={(e) => setListPath(e.target.value)} disabled={lists.length === 0}>
            {lists.length === 0 && <option value="">Ingen liste i resultatet</option>}
            {lists.map((l) => (
              <option key={l.path} value={l.path}>
                {l.path} ({l.rows.length})
              </option>
            ))}
          </select>
          <button type="button" onClick={saveCsv} disabled={!chosen}>
            Hent CSV
          </button>
        </span>
        <button type="button" className="wb-signout" onClick={onSignOut}>
          {t.signOut}
        </button>
      </header>
      <div className="wb-graphiql">
        <GraphiQL
          key={purpose}
          fetcher={fetcher as never}
          plugins={PLUGINS}
          onEditQuery={onEditQuery}
          isHeadersEditorEnabled={false}
          storage={window.sessionStorage as never}
          defaultQuery={'# Skriv en forespørgsel, eller åbn en gemt til venstre.\n{\n  areas {\n    id\n    name\n  }\n}\n'}
        />
      </div>
    </div>
  );
}
