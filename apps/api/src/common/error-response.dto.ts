/** Swagger description of every non-2xx REST body (implements its shared-types twin so they cannot drift). */
import { ApiProperty } from '@nestjs/swagger';
import { ERROR_CODES, type ErrorCode, type ErrorResponse } from '@tiny-chat/shared-types';

export class ErrorResponseDto implements ErrorResponse {
  @ApiProperty({ example: 404 })
  statusCode!: number;
  @ApiProperty({ enum: ERROR_CODES, enumName: 'ErrorCode' })
  code!: ErrorCode;
  @ApiProperty()
  message!: string;
}
