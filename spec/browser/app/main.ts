/**
 * The Angular app of the browser test (`npm run test:browser`), bundled by esbuild with Angular's JIT
 * compiler and run zoneless. Two pages: `/` is the docs' example (examples/angular) unchanged: Generate
 * submits through the app's proxy and the generations' progress comes from the proxy's event stream;
 * `/checks` scans the app's own bundle for the API key and lists what this page requested.
 */
import '@angular/compiler';
import { ChangeDetectionStrategy, Component } from '@angular/core';
import { bootstrapApplication } from '@angular/platform-browser';
import { appConfig } from '../../../examples/angular/app.config.js';
import { VideoProgressComponent } from '../../../examples/angular/video-progress.component.js';
import { ChecksPageComponent } from './checks-page.component.js';

@Component({
  selector: 'app-root',
  standalone: true,
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [VideoProgressComponent, ChecksPageComponent],
  template: `
    <h1>runware-rx · Angular</h1>
    @if (page === '/checks') { <app-checks-page /> } @else { <app-video-progress /> }
  `,
})
class AppComponent {
  readonly page = location.pathname;
}

bootstrapApplication(AppComponent, appConfig).catch((error: unknown) => {
  document.body.dataset['state'] = 'failed';
  console.error(error);
});
