// Many spellings of "sign in as this e-mail" (THREATS T56): the e-mail as a literal, a variable, a
// variable's default value (absent from `variables`), in one or several aliased fields, inside
// inline or named fragments, under @include(if: true) / @skip(if: false), and the e-mail itself in
// other case, with spaces around it, or in Unicode NFD. Every spelling is a valid request that
// runs signIn once per field with the same account, so a rate limit must count each field.
import fc from 'fast-check';

export type Spelling = { query: string; variables: Record<string, unknown>; fields: number; description: string };

const emailForm = fc.constantFrom('as-is', 'upper', 'spaces', 'nfd', 'upper-nfd-spaces');
const argumentForm = fc.constantFrom('literal', 'variable', 'default', 'nullable-default');
const wrapper = fc.constantFrom('plain', 'inline-fragment', 'typed-inline-fragment', 'named-fragment', 'include', 'skip-false');

export function spellEmail(email: string, form: string): string {
  switch (form) {
    case 'upper':
      return email.toUpperCase();
    case 'spaces':
      return `  ${email}\t`;
    case 'nfd':
      return email.normalize('NFD');
    case 'upper-nfd-spaces':
      return ` ${email.toUpperCase().normalize('NFD')} `;
    default:
      return email;
  }
}

const literal = (value: string) => JSON.stringify(value); // a JSON string is a valid GraphQL string

/** An arbitrary spelling of 1–3 signIn fields at `email` with `password`. */
export function signInSpellings(email: string, password: string): fc.Arbitrary<Spelling> {
  const field = fc.record({ emailForm, emailArg: argumentForm, passwordArg: argumentForm, wrapper, alias: fc.boolean() });
  return fc.array(field, { minLength: 1, maxLength: 3 }).map((fields) => {
    const variableDefinitions: string[] = [];
    const variables: Record<string, unknown> = {};
    const fragments: string[] = [];
    const argument = (name: string, value: string, form: string, i: number) => {
      const variable = `$${name}${i}`;
      switch (form) {
        case 'literal':
          return literal(value);
        case 'variable':
          variableDefinitions.push(`${variable}: String!`);
          variables[`${name}${i}`] = value;
          return variable;
        case 'default':
          variableDefinitions.push(`${variable}: String! = ${literal(value)}`);
          return variable;
        default:
          variableDefinitions.push(`${variable}: String = ${literal(value)}`);
          return variable;
      }
    };
    const selections = fields.map((f, i) => {
      const alias = f.alias || fields.length > 1 ? `a${i}: ` : '';
      const call = `${alias}signIn(email: ${argument('e', spellEmail(email, f.emailForm), f.emailArg, i)}, password: ${argument('p', password, f.passwordArg, i)})`;
      const selection = `${call} { accessToken }`;
      switch (f.wrapper) {
        case 'inline-fragment':
          return `... { ${selection} }`;
        case 'typed-inline-fragment':
          return `... on Mutation { ${selection} }`;
        case 'named-fragment':
          fragments.push(`fragment F${i} on Mutation { ${selection} }`);
          return `...F${i}`;
        case 'include':
          return `${call} @include(if: true) { accessToken }`;
        case 'skip-false':
          return `${call} @skip(if: false) { accessToken }`;
        default:
          return selection;
      }
    });
    const definitions = variableDefinitions.length ? `(${variableDefinitions.join(', ')})` : '';
    const query = [`mutation Guess${definitions} { ${selections.join(' ')} }`, ...fragments].join('\n');
    return { query, variables, fields: fields.length, description: JSON.stringify(fields) };
  });
}
