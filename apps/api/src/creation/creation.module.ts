/** Owns create_room and the rooms REST resource. */
import { Module } from '@nestjs/common';
import { CreationService } from './creation.service';
import { RoomsController } from './rooms.controller';

@Module({ controllers: [RoomsController], providers: [CreationService], exports: [CreationService] })
export class CreationModule {}
