import type { TemplateResourceDefinition } from '../definitions.js';
import type { FileService } from '../files/file-service.js';
import { isTextMime, mimeTypeFor } from './mime.js';

/** `file:///{path}`: a file inside the allowed roots, with the same confinement as the file tools. */
export function createFileResource(files: FileService): TemplateResourceDefinition {
  return {
    kind: 'template',
    name: 'file',
    uriTemplate: 'file:///{+path}',
    title: 'File',
    description:
      "A file inside the server's allowed roots. Text files come back as text, others as base64 blobs.",
    async read(uri, _variables, ctx) {
      const path = decodeURIComponent(uri.pathname);
      const file = await files.read(path, await ctx.clientRoots());
      const mimeType = mimeTypeFor(file.path);
      const text = isTextMime(mimeType) && !file.data.subarray(0, 8192).includes(0);
      return [
        text
          ? { uri: uri.href, mimeType, text: file.data.toString('utf8') }
          : { uri: uri.href, mimeType, blob: file.data.toString('base64') },
      ];
    },
  };
}
