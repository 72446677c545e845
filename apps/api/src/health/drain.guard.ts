/** While draining, REST work other than health and metrics answers 503 STORE_UNAVAILABLE (retry elsewhere). */
import { CanActivate, ExecutionContext, Injectable, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Response } from 'express';
import { DomainError } from '../common/domain-errors';
import { DrainService } from './drain.service';

const SERVES_WHILE_DRAINING = 'tc:servesWhileDraining';

/** Marks a controller or route that keeps answering during shutdown (probes, metrics). */
export const ServesWhileDraining = () => SetMetadata(SERVES_WHILE_DRAINING, true);

export class ShuttingDownError extends DomainError {
  constructor() {
    super('STORE_UNAVAILABLE', 'This server is shutting down; try again shortly', 1000);
  }
}

@Injectable()
export class DrainGuard implements CanActivate {
  constructor(
    private readonly drain: DrainService,
    private readonly reflector: Reflector,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    if (context.getType() !== 'http' || !this.drain.draining) return true;
    const exempt = this.reflector.getAllAndOverride<boolean>(SERVES_WHILE_DRAINING, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (exempt) return true;
    context.switchToHttp().getResponse<Response>().setHeader('Connection', 'close');
    throw new ShuttingDownError();
  }
}
