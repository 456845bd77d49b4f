// Debian's Chromium, which the browser tests drive through playwright-core.
import { existsSync } from 'node:fs';

export const CHROMIUM = '/usr/bin/chromium';
// CI installs chromium, so there a missing browser is a failure, not a skip.
export const skipBrowser = !existsSync(CHROMIUM) && !process.env.CI;
