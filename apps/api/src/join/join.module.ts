/** Owns join_room, leave and presence. */
import { Module } from '@nestjs/common';
import { JoinService } from './join.service';

@Module({ providers: [JoinService], exports: [JoinService] })
export class JoinModule {}
