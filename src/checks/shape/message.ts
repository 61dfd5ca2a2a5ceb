// What a messaging check got back: the message's content type and its body's JSON structure.
import type { SnapshotSettings } from '../../model/suite.js';
import { bodyShape, type Shape } from '../../snapshot/shape.js';

export function messageShape(contentType: string | undefined, body: string, settings: SnapshotSettings): Shape {
  return { 'content-type': contentType || 'none', ...bodyShape(body, settings) };
}
