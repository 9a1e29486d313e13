import { applyDecorators } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength, ValidateBy, ValidationOptions } from 'class-validator';

// Composite decorators: each DTO field takes one line (rule + OpenAPI hint).

export function IsStringOrNumber(options?: ValidationOptions) {
  return ValidateBy(
    {
      name: 'isStringOrNumber',
      validator: {
        validate: (value: unknown) => typeof value === 'string' || (typeof value === 'number' && Number.isFinite(value)),
        defaultMessage: () => '$property must be a string or a number',
      },
    },
    options,
  );
}

// The limit rides along as context so the pipe can answer `too_long` naming it.
export const OptionalText = (description: string, maxLength = 2000, example?: string) =>
  applyDecorators(
    ApiPropertyOptional({ description, type: String, nullable: true, example, maxLength }),
    IsOptional(),
    IsString(),
    MaxLength(maxLength, { context: { maxLength } }),
  );

export const OptionalTextOrNumber = (description: string, example?: string | number) =>
  applyDecorators(
    ApiPropertyOptional({ description, oneOf: [{ type: 'string' }, { type: 'number' }], nullable: true, example }),
    IsOptional(),
    IsStringOrNumber(),
  );
