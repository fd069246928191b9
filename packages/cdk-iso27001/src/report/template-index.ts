import * as fs from 'fs';
import * as path from 'path';

/** Where a resource sits in a synthesized template. */
export interface TemplateResource {
  /** Relative to the cloud assembly directory, '/'-separated. */
  readonly templatePath: string;
  readonly logicalId: string;
  /** 1-based line of the resource's key in the template file. */
  readonly line?: number;
  readonly constructPath?: string;
}

/** Finds template resources by construct path, or by template and logical id. */
export interface ResourceLocator {
  byConstructPath(constructPath: string): TemplateResource | undefined;
  byLogicalId(templatePath: string, logicalId: string): TemplateResource | undefined;
}

const MAX_DEPTH = 2; // nested assemblies (stages) sit one folder down

function templateFiles(dir: string, depth = 0): string[] {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
  const files: string[] = [];
  for (const entry of entries) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory() && depth < MAX_DEPTH && !entry.name.startsWith('asset.')) {
      files.push(...templateFiles(full, depth + 1));
    } else if (entry.isFile() && entry.name.endsWith('.template.json')) {
      files.push(full);
    }
  }
  return files;
}

function lineOfKey(text: string, logicalId: string): number | undefined {
  const at = text.indexOf(`"${logicalId}":`);
  if (at < 0) return undefined;
  return text.slice(0, at).split('\n').length;
}

/**
 * Index the templates of a cloud assembly by the `aws:cdk:path` metadata of their resources.
 * Unreadable or malformed templates are skipped: the index only adds detail to the report.
 */
export function indexAssemblyTemplates(assemblyDir: string): ResourceLocator {
  const byPath = new Map<string, TemplateResource>();
  const byId = new Map<string, TemplateResource>();
  for (const file of templateFiles(assemblyDir)) {
    let text: string;
    let template: { Resources?: Record<string, { Metadata?: Record<string, unknown> }> };
    try {
      text = fs.readFileSync(file, 'utf8');
      template = JSON.parse(text) as typeof template;
    } catch {
      continue;
    }
    const templatePath = path.relative(assemblyDir, file).split(path.sep).join('/');
    for (const [logicalId, resource] of Object.entries(template.Resources ?? {})) {
      const cdkPath = resource?.Metadata?.['aws:cdk:path'];
      const entry: TemplateResource = {
        templatePath,
        logicalId,
        line: lineOfKey(text, logicalId),
        constructPath: typeof cdkPath === 'string' ? cdkPath : undefined,
      };
      if (entry.constructPath) byPath.set(entry.constructPath, entry);
      byId.set(`${templatePath}#${logicalId}`, entry);
    }
  }
  return {
    byConstructPath: (constructPath) => byPath.get(constructPath),
    byLogicalId: (templatePath, logicalId) => byId.get(`${templatePath}#${logicalId}`),
  };
}

/** A locator that knows no templates. */
export const NO_TEMPLATES: ResourceLocator = {
  byConstructPath: () => undefined,
  byLogicalId: () => undefined,
};
