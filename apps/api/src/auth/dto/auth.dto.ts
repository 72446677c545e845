/** Swagger descriptions of the sign-in bodies; each implements its shared-types twin so they cannot drift. */
import { ApiProperty } from '@nestjs/swagger';
import type { AuthMeResponse } from '@tiny-chat/shared-types';

export class SessionUserDto {
  @ApiProperty({ description: '`<issuer>#<sub>` of the ID token' })
  id!: string;
  @ApiProperty({ description: "the ID token's name, preferred_username or email" })
  name!: string;
}

export class AuthMeDto implements AuthMeResponse {
  @ApiProperty({ enum: ['none', 'oidc'] })
  authMode!: 'none' | 'oidc';
  @ApiProperty({ type: SessionUserDto, nullable: true, description: 'null when signed out (always with none)' })
  user!: SessionUserDto | null;
  @ApiProperty({ type: Number, nullable: true, description: 'MAX_ROOMS_PER_USER; null with none' })
  maxRoomsPerUser!: number | null;
}
