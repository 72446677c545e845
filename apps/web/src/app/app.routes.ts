/** The two pages: the lobby at /, the room at /r/:roomId; anything else goes back to the lobby. */
import { Route } from '@angular/router';
import { LobbyPage } from './lobby/lobby-page';

export const appRoutes: Route[] = [
  { path: '', component: LobbyPage },
  // The room (socket.io, QR code) loads only when a room is opened, keeping the lobby's first load small.
  { path: 'r/:roomId', loadComponent: () => import('./room/room-page').then((m) => m.RoomPage) },
  { path: '**', redirectTo: '' },
];
