/** Owns send_message and get_messages. */
import { Module } from '@nestjs/common';
import { MessageService } from './message.service';

@Module({ providers: [MessageService], exports: [MessageService] })
export class MessageModule {}
