// The `authorization` cookie the server reads the token from, scoped to the base path.

import { basePath } from './api/base';

export function setAuthToken(token: string): void {
  document.cookie = `authorization=${encodeURIComponent(token.trim())}; path=${basePath()}; SameSite=Strict`;
}

export function clearAuthToken(): void {
  document.cookie = `authorization=; path=${basePath()}; expires=Thu, 01 Jan 1970 00:00:00 GMT; SameSite=Strict`;
}
