/**
 * The app's providers: runware-rx talks to the app's own proxy (`createRunwareProxy` on the server, see
 * docs/guides/browser.md), which adds the API key; the bundle holds none. Zoneless: signals only.
 */
import { type ApplicationConfig, provideZonelessChangeDetection } from '@angular/core';
import { provideRunware, withProxy, withWatchOptions } from 'runware-rx/angular';

export const appConfig: ApplicationConfig = {
  providers: [provideZonelessChangeDetection(), provideRunware(withProxy('/api/runware'), withWatchOptions({ timeout: 30 * 60_000 }))],
};
