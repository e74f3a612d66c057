import { extendZodWithOpenApi } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';

// Once, before any schema is declared: adds .openapi() so the same schemas that validate
// requests describe them in /openapi.json.
extendZodWithOpenApi(z);

export { z };

// "Invalid input: expected string, received undefined" says less than "is required".
z.config({
  customError: (issue) => (issue.code === 'invalid_type' && issue.input === undefined ? 'is required' : undefined),
});
