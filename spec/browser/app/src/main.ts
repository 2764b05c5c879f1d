/**
 * The browser's entry of the test app (`npm run test:browser`), built ahead of time by
 * `@angular/build:application` against the packed runware-rx; zoneless.
 */
import { bootstrapApplication } from '@angular/platform-browser';
import { AppComponent } from './app/app.component';
import { appConfig } from './app/app.config';

bootstrapApplication(AppComponent, appConfig).catch((error: unknown) => {
  document.body.dataset['state'] = 'failed';
  console.error(error);
});
