/**
 * The error of a template that cannot be read or would not deploy, apart from the template reader so that what a
 * rule bundle holds (its adapter, its SAM transform) can throw it without the reader's YAML parser.
 */
import { EXIT, PackError } from './errors';

/** A file is not a CloudFormation template we can read; the template check lists it as unreadable. */
export class TemplateError extends PackError {
  override readonly name = 'TemplateError';
  readonly code = 'template';
  readonly exitStatus = EXIT.unreadable;
}
