/**
 * The server's providers: every page rendered on the server, and the proxy at an absolute URL the
 * test gives (a server has no page to be relative to), so that were the providers to send anything
 * during a render, it would reach the test's proxy and be counted.
 */
import { type ApplicationConfig, mergeApplicationConfig } from '@angular/core';
import { provideServerRendering, RenderMode, withRoutes } from '@angular/ssr';
import { provideRunware, withProxy } from 'runware-rx/angular';
import { appConfig } from './app.config';

const proxyUrl = (globalThis as { RUNWARE_TEST_PROXY?: string }).RUNWARE_TEST_PROXY ?? '/api/runware';

export const serverConfig: ApplicationConfig = mergeApplicationConfig(appConfig, {
  providers: [provideServerRendering(withRoutes([{ path: '**', renderMode: RenderMode.Server }])), provideRunware(withProxy(proxyUrl))],
});
