import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { startI18n } from '../../shared/i18n.js';
import { App } from './App.js';
import { resources } from './i18n.js';
import './styles.css';

await startI18n(resources);
const root = document.getElementById('root');
if (root) {
  createRoot(root).render(
    <StrictMode>
      <App />
    </StrictMode>,
  );
}
