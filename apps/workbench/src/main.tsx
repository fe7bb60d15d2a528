import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
// The app's words and sign-in, shared: one sign-in per browser tab serves the app and the workbench.
import { I18nProvider } from '../../web/src/i18n';
import { App } from './App';
import 'graphiql/graphiql.css';
import '@graphiql/plugin-explorer/style.css';
import './styles.css';

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <I18nProvider>
      <App />
    </I18nProvider>
  </StrictMode>,
);
