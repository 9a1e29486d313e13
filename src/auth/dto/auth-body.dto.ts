import { ApiProperty } from '@nestjs/swagger';
import { IsString, MaxLength } from 'class-validator';

export class LoginDto {
  @ApiProperty({ description: 'ログインID (matched after NFKC and case folding)', example: 'yamada' })
  @IsString()
  @MaxLength(200)
  login!: string;

  @ApiProperty({ description: 'パスワード', format: 'password' })
  @IsString()
  @MaxLength(1024)
  password!: string;
}

export class ChangePasswordDto {
  @ApiProperty({ description: '現在のパスワード', format: 'password' })
  @IsString()
  @MaxLength(1024)
  current!: string;

  @ApiProperty({ description: '新しいパスワード (12 characters or more, not a common one)', format: 'password' })
  @IsString()
  @MaxLength(1024)
  new!: string;
}
