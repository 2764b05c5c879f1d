/**
 * Server-side rendering of the test app with Angular's engine (@angular/ssr over
 * @angular/platform-server): `render(request)` gives the page's response. No listening server: the
 * test calls it directly, then counts what reached its proxy meanwhile.
 */
import { AngularAppEngine, createRequestHandler } from '@angular/ssr';

const engine = new AngularAppEngine();

export const reqHandler = createRequestHandler(async (request: Request) => (await engine.handle(request)) ?? new Response('not found', { status: 404 }));
