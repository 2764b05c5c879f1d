/**
 * The browser test's checks page: fetches every script of the app (`/checks/scripts` lists them: the
 * initial chunks and the lazy ones) as any visitor gets them and looks for the API key in them, knowing
 * only the SHA-256 digests of the key's encodings (`/checks/needles`, from the test server; the key
 * itself never reaches the browser), and lists the origins this page requested.
 */
import { ChangeDetectionStrategy, Component, signal } from '@angular/core';

/** What the page found; `undefined` while it is looking. */
interface Findings {
  readonly bundleBytes: number;
  readonly tokens: number;
  readonly keyFound: boolean;
  readonly origins: readonly string[];
}

/** Runs of the characters of a key and of its base64, base64url and hex forms; a key in a bundle is one such run (a string literal's contents). */
const TOKEN = /[A-Za-z0-9+/=_-]{16,}/g;

@Component({
  selector: 'app-checks-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <h2>Checks</h2>
    @if (findings(); as found) {
      <dl id="findings" [attr.data-key-found]="found.keyFound">
        <dt>bundle</dt><dd id="bundle-bytes">{{ found.bundleBytes }} bytes, {{ found.tokens }} tokens</dd>
        <dt>API key in the bundle</dt><dd id="key-found">{{ found.keyFound ? 'FOUND' : 'none' }}</dd>
        <dt>origins this page requested</dt><dd id="origins">{{ found.origins.join(' ') }}</dd>
      </dl>
    } @else if (failure(); as reason) {
      <p id="failure">{{ reason }}</p>
    } @else {
      <p>checking…</p>
    }
  `,
})
export class ChecksPageComponent {
  readonly findings = signal<Findings | undefined>(undefined);
  readonly failure = signal<string | undefined>(undefined);

  constructor() {
    check().then(
      (found) => this.findings.set(found),
      (error: unknown) => this.failure.set(String(error)),
    );
  }
}

async function check(): Promise<Findings> {
  const [scripts, needles] = await Promise.all([fetch('/checks/scripts').then((reply) => reply.json() as Promise<readonly string[]>), fetch('/checks/needles').then((reply) => reply.json() as Promise<readonly string[]>)]);
  const bundle = (await Promise.all(scripts.map((script) => fetch(script).then((reply) => reply.text())))).join('\n');
  const tokens = new Set(bundle.match(TOKEN) ?? []);
  const wanted = new Set(needles);
  let keyFound = false;
  for (const token of tokens) if (wanted.has(await sha256(token))) keyFound = true;
  const origins = new Set(performance.getEntriesByType('resource').map((entry) => new URL(entry.name).origin));
  origins.add(location.origin);
  return { bundleBytes: new TextEncoder().encode(bundle).byteLength, tokens: tokens.size, keyFound, origins: [...origins].sort() };
}

async function sha256(text: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return [...new Uint8Array(digest)].map((byte) => byte.toString(16).padStart(2, '0')).join('');
}
