import { buildSubgraphSchema, type GraphQLResolverMap } from '@apollo/subgraph';
import { parse, type GraphQLSchema } from 'graphql';
import { IN_STOCK, PRODUCTS, REVIEW_AUTHOR, REVIEWS, USER_REVIEWS, USERS, type Review } from './workload.js';

const link = (imports: string[]) =>
  `extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: [${imports.map((i) => `"${i}"`).join(', ')}])`;

export interface SubgraphDefinition {
  name: string;
  typeDefs: string;
  resolvers: GraphQLResolverMap<unknown>;
}

const accounts: SubgraphDefinition = {
  name: 'accounts',
  typeDefs: `${link(['@key', '@shareable'])}
type Query {
  me: User
  user(id: ID!): User
  users: [User]
}
type User @key(fields: "id") {
  id: ID!
  name: String
  username: String @shareable
  birthday: Int
}`,
  resolvers: {
    Query: {
      me: () => USERS[0],
      user: (_: unknown, { id }: { id: string }) => USERS.find((u) => u.id === id) ?? null,
      users: () => USERS,
    },
    User: {
      __resolveReference: (ref: { id: string }) => USERS.find((u) => u.id === ref.id) ?? null,
    },
  },
};

const products: SubgraphDefinition = {
  name: 'products',
  typeDefs: `${link(['@key'])}
type Query {
  topProducts(first: Int = 5): [Product]
}
type Product @key(fields: "upc") {
  upc: String!
  name: String
  price: Int
  weight: Int
}`,
  resolvers: {
    Query: {
      topProducts: (_: unknown, { first }: { first: number }) => PRODUCTS.slice(0, first),
    },
    Product: {
      __resolveReference: (ref: { upc: string }) => PRODUCTS.find((p) => p.upc === ref.upc) ?? null,
    },
  },
};

const inventory: SubgraphDefinition = {
  name: 'inventory',
  typeDefs: `${link(['@key', '@external', '@requires'])}
type Product @key(fields: "upc") {
  upc: String!
  weight: Int @external
  price: Int @external
  inStock: Boolean
  shippingEstimate: Int @requires(fields: "price weight")
}`,
  resolvers: {
    Product: {
      __resolveReference: (ref: { upc: string; price?: number; weight?: number }) => ({ ...ref, inStock: IN_STOCK[ref.upc] ?? null }),
      // The reference implementation answers null here too.
      shippingEstimate: () => null,
    },
  },
};

const reviewsOf = (upc: string) => REVIEWS.filter((r) => r.productUpc === upc);

const reviews: SubgraphDefinition = {
  name: 'reviews',
  typeDefs: `${link(['@key', '@external', '@provides'])}
type Review @key(fields: "id") {
  id: ID!
  body: String
  product: Product
  author: User @provides(fields: "username")
}
type User @key(fields: "id") {
  id: ID!
  username: String @external
  reviews: [Review]
}
type Product @key(fields: "upc") {
  upc: String!
  reviews: [Review]
}`,
  resolvers: {
    Review: {
      __resolveReference: (ref: { id: string }) => REVIEWS.find((r) => r.id === ref.id) ?? null,
      product: (review: Review) => ({ __typename: 'Product', upc: review.productUpc }),
      author: () => ({ __typename: 'User', ...REVIEW_AUTHOR, reviews: USER_REVIEWS }),
    },
    User: {
      __resolveReference: (ref: { id: string }) => ({ id: ref.id, username: 'user', reviews: USER_REVIEWS }),
    },
    Product: {
      __resolveReference: (ref: { upc: string }) => ({ upc: ref.upc }),
      reviews: (product: { upc: string }) => reviewsOf(product.upc),
    },
  },
};

export const SUBGRAPHS: readonly SubgraphDefinition[] = [accounts, inventory, products, reviews];

export function subgraphSchema(definition: SubgraphDefinition): GraphQLSchema {
  return buildSubgraphSchema([{ typeDefs: parse(definition.typeDefs), resolvers: definition.resolvers }]);
}
