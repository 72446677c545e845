/** The REST side of the contract (create, look up and close rooms), on fetch to keep HttpClient out of the bundle. */
import { Injectable } from '@angular/core';
import type { CreateRoomResponse, ErrorResponse, GetRoomResponse, HealthResponse } from '@tiny-chat/shared-types';
import type { ClientError } from './client-error';

export type ApiResult<T> = { ok: true; data: T } | { ok: false; error: ClientError };

@Injectable({ providedIn: 'root' })
export class RoomsApi {
  createRoom(): Promise<ApiResult<CreateRoomResponse>> {
    return this.call<CreateRoomResponse>('/api/rooms', { method: 'POST' });
  }

  getRoom(roomId: string): Promise<ApiResult<GetRoomResponse>> {
    return this.call<GetRoomResponse>(`/api/rooms/${encodeURIComponent(roomId)}`, { method: 'GET' });
  }

  /** Closes a room as its owner: with its owner key, or as the signed-in creator (the session cookie goes along). */
  closeRoom(roomId: string, ownerKey: string | null): Promise<ApiResult<null>> {
    return this.call<null>(`/api/rooms/${encodeURIComponent(roomId)}`, {
      method: 'DELETE',
      ...(ownerKey !== null && { headers: { authorization: `Bearer ${ownerKey}` } }),
    });
  }

  /** Liveness, for the store type and the bootId (it changes when the server restarted). */
  health(): Promise<ApiResult<HealthResponse>> {
    return this.call<HealthResponse>('/api/health', { method: 'GET' });
  }

  private async call<T>(url: string, init: RequestInit): Promise<ApiResult<T>> {
    let response: Response;
    try {
      response = await fetch(url, {
        ...init,
        headers: { ...(init.headers as Record<string, string>), accept: 'application/json' },
      });
    } catch {
      return { ok: false, error: { code: 'NETWORK', message: 'network error' } };
    }
    const body: unknown = await response.json().catch(() => null);
    if (response.ok) return { ok: true, data: body as T };
    const error = body as Partial<ErrorResponse> | null;
    if (error?.code) {
      const retryAfter = Number(response.headers.get('retry-after'));
      return {
        ok: false,
        error: {
          code: error.code,
          message: error.message ?? '',
          ...(retryAfter > 0 ? { retryAfterMs: retryAfter * 1000 } : {}),
        },
      };
    }
    return {
      ok: false,
      error: { code: response.status === 404 ? 'ROOM_NOT_FOUND' : 'INTERNAL', message: response.statusText },
    };
  }
}
