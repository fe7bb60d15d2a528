/**
 * The public gateway-benchmark workload: four Federation 2 subgraphs over a small
 * fixed data set, one deep query, and the response every gateway must return.
 */

export interface User { id: string; name: string; username: string; birthday: number }
export interface Product { upc: string; name: string; price: number; weight: number }
export interface Review { id: string; body: string; productUpc: string }

export const USERS: User[] = [
  ['1', 'Uri Goldshtein', 'urigo'],
  ['2', 'Dotan Simha', 'dotansimha'],
  ['3', 'Kamil Kisiela', 'kamilkisiela'],
  ['4', 'Arda Tanrikulu', 'ardatan'],
  ['5', 'Gil Gardosh', 'gilgardosh'],
  ['6', 'Laurin Quast', 'laurin'],
].map(([id, name, username]) => ({ id: id!, name: name!, username: username!, birthday: 1234567890 }));

export const PRODUCTS: Product[] = (
  [
    ['Table', 899, 100],
    ['Couch', 1299, 1000],
    ['Glass', 15, 20],
    ['Chair', 499, 100],
    ['TV', 1299, 1000],
    ['Lamp', 6999, 300],
    ['Grill', 3999, 2000],
    ['Fridge', 100000, 6000],
    ['Sofa', 9999, 800],
  ] as const
).map(([name, price, weight], i) => ({ upc: String(i + 1), name, price, weight }));

/** inStock by upc "1".."9". */
export const IN_STOCK: Record<string, boolean> = Object.fromEntries(
  [true, false, false, false, true, true, true, false, true].map((v, i) => [String(i + 1), v]),
);

const BODY_LENGTHS = [445, 289, 275, 143, 445, 289, 275, 143, 143, 143, 844];
const REVIEW_UPCS = ['1', '1', '1', '1', '2', '2', '2', '2', '3', '4', '4'];

/** Deterministic filler prose of exactly `length` characters (made-up words). */
export function filler(length: number, seed: number): string {
  const syllables = ['ka', 'ren', 'tor', 'mi', 'sal', 've', 'dun', 'bra', 'lo', 'es', 'fi', 'gar', 'no', 'quil', 'sen', 'ta', 'ur', 'vol', 'ze', 'pim'];
  let state = seed * 2654435761 >>> 0;
  const next = (n: number) => {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    return (state >>> 8) % n;
  };
  let text = '';
  let wordsInSentence = 0;
  while (text.length < length) {
    let word = '';
    for (let s = 2 + next(3); s > 0; s--) word += syllables[next(syllables.length)];
    if (wordsInSentence === 0) word = word[0]!.toUpperCase() + word.slice(1);
    wordsInSentence++;
    const endOfSentence = wordsInSentence >= 6 + next(8);
    text += word + (endOfSentence ? '. ' : next(7) === 0 ? ', ' : ' ');
    if (endOfSentence) wordsInSentence = 0;
  }
  text = text.slice(0, length - 1);
  return (text.endsWith(' ') || text.endsWith(',') ? text.slice(0, -1) + 'a' : text) + '.';
}

export const REVIEWS: Review[] = BODY_LENGTHS.map((length, i) => ({
  id: String(i + 1),
  body: filler(length, i + 1),
  productUpc: REVIEW_UPCS[i]!,
}));

/** Review.author always resolves to this user, and every User.reviews to these reviews. */
export const REVIEW_AUTHOR = { id: '1', username: 'urigo' };
export const USER_REVIEWS = REVIEWS.slice(0, 2);

export const TEST_QUERY = `fragment User on User { id username name }
fragment Review on Review { id body }
fragment Product on Product { inStock name price shippingEstimate upc weight }
query TestQuery {
  users { ...User reviews { ...Review product { ...Product reviews { ...Review author { ...User reviews { ...Review product { ...Product } } } } } } }
  topProducts { ...Product reviews { ...Review author { ...User reviews { ...Review product { ...Product } } } } }
}`;

export const PRODUCTS_QUERY = '{ topProducts { upc name price weight } }';

// Expected responses, built from the data in the query's field order.

const product = (upc: string) => {
  const p = PRODUCTS.find((x) => x.upc === upc)!;
  return { inStock: IN_STOCK[upc]!, name: p.name, price: p.price, shippingEstimate: null, upc, weight: p.weight };
};
const userFields = (id: string) => {
  const u = USERS.find((x) => x.id === id)!;
  return { id, username: u.username, name: u.name };
};
const authorOfReview = () => ({
  ...userFields(REVIEW_AUTHOR.id),
  reviews: USER_REVIEWS.map((r) => ({ id: r.id, body: r.body, product: product(r.productUpc) })),
});
const productWithReviews = (upc: string) => ({
  ...product(upc),
  reviews: REVIEWS.filter((r) => r.productUpc === upc).map((r) => ({ id: r.id, body: r.body, author: authorOfReview() })),
});

export function expectedTestQueryResponse(): unknown {
  return {
    data: {
      users: USERS.map((u) => ({
        ...userFields(u.id),
        reviews: USER_REVIEWS.map((r) => ({ id: r.id, body: r.body, product: productWithReviews(r.productUpc) })),
      })),
      topProducts: PRODUCTS.slice(0, 5).map((p) => productWithReviews(p.upc)),
    },
  };
}

export function expectedProductsResponse(): unknown {
  return { data: { topProducts: PRODUCTS.slice(0, 5).map(({ upc, name, price, weight }) => ({ upc, name, price, weight })) } };
}
