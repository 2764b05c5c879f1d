/** The test app's root: a heading and the page of the route. */
import { ChangeDetectionStrategy, Component } from '@angular/core';
import { RouterOutlet } from '@angular/router';

@Component({
  selector: 'app-root',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [RouterOutlet],
  template: `<h1>runware-rx · Angular</h1><router-outlet />`,
})
export class AppComponent {}
