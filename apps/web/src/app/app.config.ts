/** Application-wide providers: the router (route params as inputs) and one fresh room page per room id. */
import { ApplicationConfig, provideBrowserGlobalErrorListeners } from '@angular/core';
import { RouteReuseStrategy, provideRouter, withComponentInputBinding } from '@angular/router';
import { appRoutes } from './app.routes';
import { FreshPagePerParamsStrategy } from './core/route-reuse';

export const appConfig: ApplicationConfig = {
  providers: [
    provideBrowserGlobalErrorListeners(),
    provideRouter(appRoutes, withComponentInputBinding()),
    { provide: RouteReuseStrategy, useClass: FreshPagePerParamsStrategy },
  ],
};
