import { createEnvironmentInjector, type EnvironmentInjector, type EnvironmentProviders, Injector, PLATFORM_ID, type Provider } from '@angular/core';

/** An Angular environment injector as an app's root would have, on the browser or the server platform. */
export function appInjector(platform: 'browser' | 'server', providers: Array<Provider | EnvironmentProviders>): EnvironmentInjector {
  return createEnvironmentInjector([{ provide: PLATFORM_ID, useValue: platform }, ...providers], Injector.NULL as EnvironmentInjector);
}
