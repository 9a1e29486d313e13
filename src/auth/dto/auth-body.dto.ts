import { ApiProperty } from '@nestjs/swagger';
import { IsString, MaxLength } from 'class-validator';
import { OptionalText } from '../../common/validation';

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

export class CreateUserDto {
  @ApiProperty({ description: '氏名 (stored as typed)', example: '山田花子' })
  @IsString()
  @MaxLength(100)
  name!: string;

  @ApiProperty({ description: 'ログインID: letters, digits, . _ @ -; unique ignoring case and width', example: 'yamada' })
  @IsString()
  @MaxLength(64)
  login!: string;

  @ApiProperty({ description: 'admin | editor | viewer', example: 'editor' })
  @IsString()
  @MaxLength(16)
  role!: string;

  @OptionalText('部局 (code or name); required for editors', 100, '福祉こども部') department?: string;
}

export class UpdateUserDto {
  @OptionalText('admin | editor | viewer', 16) role?: string;
  @OptionalText('部局 (code or name); empty for none (not for editors)', 100) department?: string;
}
