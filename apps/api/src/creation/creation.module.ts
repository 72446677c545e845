/** Owns create_room and the rooms REST resource, including the signed-in user's own rooms (GET /api/me/rooms). */
import { Module } from '@nestjs/common';
import { CreationService } from './creation.service';
import { MeController } from './me.controller';
import { RoomsController } from './rooms.controller';

@Module({ controllers: [RoomsController, MeController], providers: [CreationService], exports: [CreationService] })
export class CreationModule {}
