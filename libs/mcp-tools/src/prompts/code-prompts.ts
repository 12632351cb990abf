import { z } from 'zod';
import { definePrompt } from '../definitions.js';

const language = z.string().max(64).optional().describe('Programming language, e.g. typescript');
const code = z.string().min(1).max(200_000).describe('The code');

function fence(text: string, lang?: string): string {
  const longest = Math.max(2, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const ticks = '`'.repeat(longest + 1);
  return `${ticks}${lang ?? ''}\n${text}\n${ticks}`;
}

/** `code_review`: asks for a review of a piece of code. */
export const codeReviewPrompt = definePrompt({
  name: 'code_review',
  title: 'Code review',
  description: 'Review code for correctness, security, performance and readability, with concrete fixes.',
  argsSchema: z.object({ code, language }),
  build: ({ code, language }) => [
    {
      role: 'user',
      content: {
        type: 'text',
        text:
          `Review the following ${language ?? ''} code. List problems by severity (bugs and security first, then performance, then readability). ` +
          `For each, quote the line, say why it matters and show the fix. End with what is done well.\n\n${fence(code, language)}`,
      },
    },
  ],
});

/** `explain_code`: asks for an explanation at a chosen depth. */
export const explainCodePrompt = definePrompt({
  name: 'explain_code',
  title: 'Explain code',
  description: 'Explain what code does, at a brief, medium or detailed level.',
  argsSchema: z.object({
    code,
    language,
    detail_level: z
      .enum(['brief', 'medium', 'detailed'])
      .default('medium')
      .describe('How deep the explanation goes'),
  }),
  build: ({ code, language, detail_level }) => {
    const depth = {
      brief: 'In three or four sentences, say what it does and why.',
      medium: 'Explain its purpose, its main steps in order, and anything surprising.',
      detailed:
        'Walk through it section by section: purpose, data flow, control flow, edge cases, complexity, and how it could fail.',
    }[detail_level];
    return [
      {
        role: 'user',
        content: {
          type: 'text',
          text: `Explain this ${language ?? ''} code. ${depth}\n\n${fence(code, language)}`,
        },
      },
    ];
  },
});

/** `debug_help`: asks for help with an error raised by a piece of code. */
export const debugHelpPrompt = definePrompt({
  name: 'debug_help',
  title: 'Debug help',
  description: 'Find the cause of an error in a piece of code and propose a fix.',
  argsSchema: z.object({
    code,
    error: z.string().min(1).max(50_000).describe('The error message or stack trace'),
    language,
  }),
  build: ({ code, error, language }) => [
    {
      role: 'user',
      content: {
        type: 'text',
        text:
          `This ${language ?? ''} code fails with the error below. Find the most likely cause, explain how the error follows from it, ` +
          `give a corrected version, and say how to confirm the fix.\n\nError:\n${fence(error)}\n\nCode:\n${fence(code, language)}`,
      },
    },
  ],
});
