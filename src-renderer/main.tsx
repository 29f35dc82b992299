import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import './styles/app.css';
import { setDefaultMediaSync } from './features/room/media-sync-hook';
import { createRoomMediaSync } from './sync/room-media-sync';

// Every room aligns its streams and times its events on the media timeline (issue 4).
setDefaultMediaSync(createRoomMediaSync);

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root');
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
