/** While draining, REST work other than health and metrics answers 503 SHUTTING_DOWN (retry elsewhere). */
import { CanActivate, ExecutionContext, Injectable, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Response } from 'express';
import { ShuttingDownError } from '../common/domain-errors';
import { DrainService } from './drain.service';

const SERVES_WHILE_DRAINING = 'tc:servesWhileDraining';

/** Marks a controller or route that keeps answering during shutdown (probes, metrics). */
export const ServesWhileDraining = () => SetMetadata(SERVES_WHILE_DRAINING, true);

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
