/**
 * The test app's pages. `/` is the docs' example (examples/angular, copied into src/app/example/ when
 * the test builds the app): Generate submits through the app's proxy and the progress comes from its
 * event stream. `/task?uuid=…` follows a task the test submitted and shows its connection (the proxy
 * restart, the server-side render). `/checks` looks for the API key in the app's own scripts.
 */
import type { Routes } from '@angular/router';
import { ChecksPageComponent } from './checks-page.component';
import { VideoProgressComponent } from './example/video-progress.component';
import { TaskPageComponent } from './task-page.component';

export const routes: Routes = [
  { path: '', component: VideoProgressComponent },
  { path: 'task', component: TaskPageComponent },
  { path: 'checks', component: ChecksPageComponent },
];
