/** The test app's providers: the docs' example providers (examples/angular/app.config.ts) and the router of the test's pages. */
import { type ApplicationConfig, mergeApplicationConfig } from '@angular/core';
import { provideRouter, withComponentInputBinding } from '@angular/router';
import { appConfig as exampleConfig } from './example/app.config';
import { routes } from './app.routes';

export const appConfig: ApplicationConfig = mergeApplicationConfig(exampleConfig, { providers: [provideRouter(routes, withComponentInputBinding())] });
