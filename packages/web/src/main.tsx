import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/app';
import { setupI18n } from './i18n/i18n';
import './styles/base.css';
import './styles/layout.css';
import './styles/sidebar.css';
import './styles/room.css';
import './styles/forms.css';
import './styles/admin.css';
import './styles/admin-rooms.css';
import './styles/conversation.css';
import './styles/markdown.css';
import './styles/labels.css';
import './styles/protection.css';
import './styles/dlp.css';
import './styles/compliance.css';
import './styles/approvals.css';
import './styles/after-hours.css';
import './styles/invites.css';
import './styles/search.css';
import './styles/files.css';
import './styles/scheduled.css';
import './styles/tracing.css';
import './styles/work-hours.css';
import { registerServiceWorker } from './pwa/register-service-worker';

const root = document.getElementById('root');
if (!root) throw new Error('index.html lacks the #root element');

await setupI18n();
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
registerServiceWorker();
