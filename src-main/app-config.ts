/** Facts about the app shared by main's modules (not secrets, not settings). */
export const APP_ID = 'dev.webinar.desktop';
export const DEFAULT_SERVER_URL = 'http://127.0.0.1:8787';
