import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { Provider } from 'urql';
import { App } from './App';
import { createClient } from './client';
import { takeToken } from './token';
import './styles.css';

const client = createClient({
  url: import.meta.env.GRAPHQL_URL,
  trustedDocuments: import.meta.env.TRUSTED_DOCUMENTS,
  token: takeToken(),
});

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <Provider value={client}>
      <App />
    </Provider>
  </StrictMode>,
);
