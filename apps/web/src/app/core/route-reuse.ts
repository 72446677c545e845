/** A new room id always gets a fresh page (and a fresh RoomStore) instead of Angular reusing the old one. */
import { ActivatedRouteSnapshot, BaseRouteReuseStrategy } from '@angular/router';

export class FreshPagePerParamsStrategy extends BaseRouteReuseStrategy {
  override shouldReuseRoute(future: ActivatedRouteSnapshot, current: ActivatedRouteSnapshot): boolean {
    return future.routeConfig === current.routeConfig && sameParams(future.params, current.params);
  }
}

function sameParams(a: Record<string, unknown>, b: Record<string, unknown>): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((k) => a[k] === b[k]);
}
