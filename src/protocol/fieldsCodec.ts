/**
 * `fieldsCodec`: an io-ts codec of an object with required fields and optional ones, what
 * `t.intersection([t.type(required), t.partial(optional)])` checks, built on one `t.partial`. It exists
 * for the weight of a browser bundle: `t.intersection` (with its `mergeAll`) and `t.type` stay out of
 * it, and the checks stay io-ts's own.
 *
 * @module
 */
import * as t from 'io-ts';

/**
 * The codec {@link fieldsCodec} makes; `required` and `optional` are its fields, as given. Its types are
 * spelled out (no alias of ours), so that a type made from it reads as io-ts's own in the API docs.
 */
export interface FieldsC<R extends t.Props, O extends t.Props>
  extends t.Type<t.TypeOfProps<R> & t.TypeOfPartialProps<O>, t.OutputOfProps<R> & t.OutputOfPartialProps<O>, unknown> {
  readonly required: R;
  readonly optional: O;
}

/**
 * A codec of an object whose `required` fields are present (not `undefined`) and of their type, and whose
 * `optional` fields, when present, are of theirs; any other field is kept as sent. It reports what
 * `t.intersection([t.type(required), t.partial(optional)], name)` reports, without the member indexes in
 * the paths: a missing required field first, then each field of the wrong type, in the order given
 * (required before optional). A value that is not an object fails once, as `name`. The two field lists
 * are disjoint.
 */
export function fieldsCodec<R extends t.Props, O extends t.Props>(name: string, required: R, optional: O): FieldsC<R, O> {
  type Fields = t.TypeOf<FieldsC<R, O>>;
  // Required fields first, so that their failures come first, as `t.intersection` lists its members.
  const present = t.partial({ ...required, ...optional }, name);
  const requiredKeys = Object.keys(required);
  const codec = new t.Type<Fields, t.OutputOf<FieldsC<R, O>>, unknown>(
    name,
    (value): value is Fields => present.is(value) && requiredKeys.every((key) => value[key] !== undefined),
    (value, context) => {
      const checked = present.validate(value, context) as t.Validation<Fields>;
      if (!t.UnknownRecord.is(value)) return checked;
      // What `t.type` reports for a missing field: the field's codec, given `undefined`.
      const errors: t.ValidationError[] = requiredKeys
        .filter((key) => value[key] === undefined)
        .map((key) => ({ value: undefined, context: t.appendContext(context, key, required[key] as t.Mixed, undefined) }));
      if (checked._tag === 'Left') errors.push(...checked.left);
      return errors.length > 0 ? t.failures(errors) : checked;
    },
    present.encode as FieldsC<R, O>['encode'],
  );
  return Object.assign(codec, { required, optional });
}
