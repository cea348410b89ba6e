/** Seeded accounts and the words reviewers use. */

export interface SeedUser {
  email: string;
  password: string;
  role: 'ADMIN' | 'CUSTOMER';
  firstName: string;
  lastName: string;
  phone: string;
  gender: 'male' | 'female';
  age: number;
}

/** The two accounts of the API contract (docs and tests sign in with them). */
export const CONTRACT_ACCOUNTS: SeedUser[] = [
  {
    email: 'admin@ecommerce.com',
    password: 'AdminPass123!',
    role: 'ADMIN',
    firstName: 'Alex',
    lastName: 'Admin',
    phone: '+1 415 555 0100',
    gender: 'male',
    age: 38,
  },
  {
    email: 'user@ecommerce.com',
    password: 'UserPass123!',
    role: 'CUSTOMER',
    firstName: 'Jane',
    lastName: 'Doe',
    phone: '+1 415 555 0123',
    gender: 'female',
    age: 29,
  },
];

/** Password of every seeded reviewer account (they can sign in too). */
export const REVIEWER_PASSWORD = 'CustomerPass123!';

const REVIEWER_NAMES: Array<[first: string, last: string, gender: 'male' | 'female']> = [
  ['Emily', 'Johnson', 'female'],
  ['Michael', 'Williams', 'male'],
  ['Sophia', 'Brown', 'female'],
  ['James', 'Davis', 'male'],
  ['Emma', 'Miller', 'female'],
  ['William', 'Wilson', 'male'],
  ['Olivia', 'Moore', 'female'],
  ['Alexander', 'Taylor', 'male'],
  ['Ava', 'Anderson', 'female'],
  ['Ethan', 'Thomas', 'male'],
  ['Isabella', 'Jackson', 'female'],
  ['Liam', 'White', 'male'],
  ['Mia', 'Harris', 'female'],
  ['Noah', 'Martin', 'male'],
  ['Charlotte', 'Thompson', 'female'],
  ['Lucas', 'Garcia', 'male'],
  ['Amelia', 'Martinez', 'female'],
  ['Benjamin', 'Robinson', 'male'],
  ['Harper', 'Clark', 'female'],
  ['Daniel', 'Lewis', 'male'],
];

/** Customers who write the seeded reviews. The contract's user@ecommerce.com writes none (tests review as them). */
export const REVIEWERS: SeedUser[] = REVIEWER_NAMES.map(([firstName, lastName, gender], index) => ({
  email: `${firstName}.${lastName}@example.com`.toLowerCase(),
  password: REVIEWER_PASSWORD,
  role: 'CUSTOMER',
  firstName,
  lastName,
  phone: `+1 555 010 ${String(1000 + index * 37).slice(-4)}`,
  gender,
  age: 19 + ((index * 7) % 48),
}));

export const CUSTOMER_ADDRESS = {
  label: 'Home',
  address: '1600 Market Street, Apt 12B',
  city: 'San Francisco',
  state: 'CA',
  zipCode: '94103',
  country: 'US',
};

/** Review comments by star rating (index 0 = 1 star). */
export const REVIEW_COMMENTS: string[][] = [
  [
    'Very disappointed. Stopped working after a week.',
    'Not as described. I am returning it.',
    'Poor quality for the price, would not recommend.',
    'Arrived damaged and support was unhelpful.',
    'Waste of money, sadly.',
  ],
  [
    'Below expectations; it does the job but barely.',
    'Feels cheap and the finish is already wearing off.',
    'Had high hopes, but it did not live up to the hype.',
    'Okay at first, but several small problems since.',
    'Not great. Sizing and quality were both off.',
  ],
  [
    'Decent for the price, nothing special.',
    'It is fine. Does what it says, with a few compromises.',
    'Average quality. Shipping was quick though.',
    'Mixed feelings: good design, mediocre build.',
    'Works as expected, but I expected a bit more.',
  ],
  [
    'Very good product, just a couple of minor quibbles.',
    'Great value for money. Would buy again.',
    'Solid quality and looks exactly like the pictures.',
    'Happy with this purchase, arrived on time and well packed.',
    'Really nice! Lost one star only because of the price.',
    'Does everything I need. Recommended.',
  ],
  [
    'Absolutely love it! Exceeded my expectations.',
    'Excellent quality, fast delivery. Five stars.',
    'Best purchase I have made this year.',
    'Perfect. Exactly what I was looking for.',
    'Outstanding product, I already ordered a second one as a gift.',
    'Highly recommend! Great build quality and works flawlessly.',
    'Fantastic, worth every penny.',
  ],
];
