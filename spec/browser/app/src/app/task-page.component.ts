/**
 * Follows one task given by the test (`/task?uuid=…`) and shows what a page shows: each generation,
 * the watch's status and its connection (`streaming`, `reconnecting`, `polling`).
 */
import { ChangeDetectionStrategy, Component, input } from '@angular/core';
import { toObservable } from '@angular/core/rxjs-interop';
import { injectTaskWatch } from 'runware-rx/angular';

@Component({
  selector: 'app-task-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <p>status <output id="status">{{ task.status() }}</output>, connection <output id="connection">{{ task.connection() }}</output></p>
    <ul>
      @for (g of task.generations(); track g.index) {
        <li>#{{ g.index }} {{ g.status }}</li>
      }
    </ul>
  `,
})
export class TaskPageComponent {
  /** From the query (`?uuid=…`), bound by the router. */
  readonly uuid = input<string | undefined>(undefined);
  readonly task = injectTaskWatch(toObservable(this.uuid), { numberResults: 1 });
}
