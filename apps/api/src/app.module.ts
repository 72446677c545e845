/** Wires the feature modules. */
import { Module } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import { AuthModule } from './auth/auth.module';
import { ChatModule } from './chat/chat.module';
import { CleanupModule } from './cleanup/cleanup.module';
import { ConfigModule } from './config/config.module';
import { CreationModule } from './creation/creation.module';
import { HealthModule } from './health/health.module';
import { JoinModule } from './join/join.module';
import { LimitsModule } from './limits/limits.module';
import { MessageModule } from './message/message.module';
import { ObservabilityModule } from './observability/observability.module';
import { RoomsModule } from './rooms/rooms.module';
import { FastPathsModule } from './transport/fast-paths/fast-paths.module';

@Module({
  imports: [
    ScheduleModule.forRoot(),
    ConfigModule,
    FastPathsModule,
    ObservabilityModule,
    RoomsModule,
    AuthModule,
    LimitsModule,
    ChatModule,
    CreationModule,
    JoinModule,
    MessageModule,
    CleanupModule,
    HealthModule,
  ],
})
export class AppModule {}
