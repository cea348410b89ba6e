/** A valid shipping address for order tests. */
export const SHIPPING_ADDRESS = {
  firstName: 'Ada',
  lastName: 'Lovelace',
  address: '1 Analytical Way',
  city: 'London',
  state: 'LDN',
  zipCode: 'N1 9GU',
  country: 'GB',
  phone: '+44 20 7946 0000',
};
