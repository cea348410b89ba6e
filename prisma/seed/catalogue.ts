/**
 * The hand-written demo catalogue: a two-level category tree and ~120 real-looking products. Generated variations
 * for large catalogues (see generate.ts) are derived from these, using each category's `variants`.
 */

export interface SeedCategory {
  slug: string;
  name: string;
  description: string;
  parent?: string;
}

export interface BaseProduct {
  title: string;
  brand: string;
  /** Major units. */
  price: number;
  description: string;
  tags?: string[];
}

export interface VariantDimension {
  values: string[];
  /** Price multiplier per value (same length as values); 1 when absent. */
  priceFactors?: number[];
}

export interface LeafCategory {
  slug: string;
  /** Typical shipping weight in grams. */
  weight: number;
  /** Dimensions appended to a base title for generated variations: "iPhone 15 Pro - 256GB, Blue Titanium". */
  variants: VariantDimension[];
  products: BaseProduct[];
}

export const CATEGORIES: SeedCategory[] = [
  {
    slug: 'electronics',
    name: 'Electronics',
    description: 'Phones, computers, audio and the gear around them.',
  },
  { slug: 'fashion', name: 'Fashion', description: 'Clothing, shoes and accessories for every day.' },
  { slug: 'home', name: 'Home & Living', description: 'Furniture, kitchen, lighting and decor.' },
  { slug: 'beauty', name: 'Beauty', description: 'Fragrances, skin care and makeup.' },
  { slug: 'groceries', name: 'Groceries', description: 'Pantry staples, coffee, tea and snacks.' },
  { slug: 'sports', name: 'Sports & Outdoors', description: 'Fitness equipment and outdoor gear.' },

  { slug: 'smartphones', name: 'Smartphones', description: 'The latest phones.', parent: 'electronics' },
  {
    slug: 'laptops',
    name: 'Laptops',
    description: 'Ultrabooks, workstations and gaming laptops.',
    parent: 'electronics',
  },
  { slug: 'tablets', name: 'Tablets', description: 'Tablets for work and play.', parent: 'electronics' },
  { slug: 'audio', name: 'Audio', description: 'Headphones, earbuds and speakers.', parent: 'electronics' },
  {
    slug: 'mobile-accessories',
    name: 'Mobile Accessories',
    description: 'Chargers, cases and power banks.',
    parent: 'electronics',
  },
  {
    slug: 'mens-shirts',
    name: "Men's Shirts",
    description: 'Oxford, denim, linen and flannel.',
    parent: 'fashion',
  },
  {
    slug: 'womens-dresses',
    name: "Women's Dresses",
    description: 'Midi, maxi and wrap dresses.',
    parent: 'fashion',
  },
  { slug: 'shoes', name: 'Shoes', description: 'Sneakers, running shoes and boots.', parent: 'fashion' },
  {
    slug: 'watches',
    name: 'Watches',
    description: 'Smartwatches and classic timepieces.',
    parent: 'fashion',
  },
  { slug: 'sunglasses', name: 'Sunglasses', description: 'Polarized and classic frames.', parent: 'fashion' },
  {
    slug: 'womens-bags',
    name: "Women's Bags",
    description: 'Totes, satchels and shoulder bags.',
    parent: 'fashion',
  },
  { slug: 'furniture', name: 'Furniture', description: 'Sofas, chairs, desks and storage.', parent: 'home' },
  { slug: 'kitchen', name: 'Kitchen', description: 'Cookware and kitchen appliances.', parent: 'home' },
  { slug: 'lighting', name: 'Lighting', description: 'Smart lights, lamps and LED strips.', parent: 'home' },
  {
    slug: 'home-decoration',
    name: 'Home Decoration',
    description: 'Candles, mirrors, rugs and throws.',
    parent: 'home',
  },
  { slug: 'fragrances', name: 'Fragrances', description: 'Perfumes and colognes.', parent: 'beauty' },
  {
    slug: 'skin-care',
    name: 'Skin Care',
    description: 'Moisturisers, serums and sunscreen.',
    parent: 'beauty',
  },
  {
    slug: 'makeup',
    name: 'Makeup',
    description: 'Foundation, mascara, lipstick and palettes.',
    parent: 'beauty',
  },
  { slug: 'fitness', name: 'Fitness', description: 'Home gym, yoga and recovery.', parent: 'sports' },
  { slug: 'outdoor', name: 'Outdoor', description: 'Camping, hiking and hydration.', parent: 'sports' },
];

const COLORS = ['Black', 'White', 'Silver', 'Midnight Blue', 'Graphite', 'Sage Green', 'Rose'];
const CLOTHING_SIZES = ['XS', 'S', 'M', 'L', 'XL', 'XXL'];
/** Appended to some generated variations, with their price multipliers ('' = plain variation, the commonest). */
export const EDITIONS: Array<[label: string, priceFactor: number]> = [
  ['', 1],
  ['', 1],
  ['', 1],
  ['2024 Edition', 1.05],
  ['Bundle', 1.15],
  ['Refurbished', 0.8],
  ['Open Box', 0.9],
  ['Limited Edition', 1.2],
];

export const LEAF_CATEGORIES: LeafCategory[] = [
  {
    slug: 'smartphones',
    weight: 200,
    variants: [
      { values: ['128GB', '256GB', '512GB', '1TB'], priceFactors: [1, 1.1, 1.3, 1.5] },
      { values: ['Black', 'White', 'Blue Titanium', 'Natural Titanium', 'Green', 'Pink'] },
    ],
    products: [
      {
        title: 'iPhone 15 Pro',
        brand: 'Apple',
        price: 999,
        description:
          'A strong and light titanium design with the A17 Pro chip, a customizable Action button and a 48MP Main camera with 3x optical zoom. USB-C with USB 3 speeds and all-day battery life.',
        tags: ['iphone', 'ios', '5g'],
      },
      {
        title: 'iPhone 15',
        brand: 'Apple',
        price: 799,
        description:
          'Dynamic Island, a 48MP Main camera with 2x Telephoto and USB-C, in a durable color-infused glass and aluminum design. Powered by the A16 Bionic chip.',
        tags: ['iphone', 'ios', '5g'],
      },
      {
        title: 'Samsung Galaxy S24 Ultra',
        brand: 'Samsung',
        price: 1299,
        description:
          'Galaxy AI is here. A titanium frame, a 6.8-inch QHD+ display, the built-in S Pen and a 200MP camera with 100x Space Zoom, powered by Snapdragon 8 Gen 3 for Galaxy.',
        tags: ['android', 'galaxy', '5g'],
      },
      {
        title: 'Samsung Galaxy A55 5G',
        brand: 'Samsung',
        price: 449,
        description:
          'A premium metal frame and glass back, a 6.6-inch Super AMOLED 120Hz display, a 50MP OIS camera and a 5000mAh battery with 25W fast charging.',
        tags: ['android', 'galaxy', '5g'],
      },
      {
        title: 'Google Pixel 8 Pro',
        brand: 'Google',
        price: 999,
        description:
          'The all-pro phone engineered by Google, with Tensor G3, a 6.7-inch Super Actua display, pro camera controls and seven years of OS and security updates.',
        tags: ['android', 'pixel', '5g'],
      },
      {
        title: 'OnePlus 12',
        brand: 'OnePlus',
        price: 799,
        description:
          'Snapdragon 8 Gen 3, a 2K 120Hz ProXDR display, the 4th generation Hasselblad camera for mobile and 80W SUPERVOOC charging from 1 to 100% in 26 minutes.',
        tags: ['android', '5g'],
      },
      {
        title: 'Xiaomi 14 Ultra',
        brand: 'Xiaomi',
        price: 1099,
        description:
          'A Leica quad camera system with a 1-inch type main sensor and variable aperture, a 6.73-inch WQHD+ AMOLED display and 90W HyperCharge.',
        tags: ['android', 'leica', '5g'],
      },
    ],
  },
  {
    slug: 'laptops',
    weight: 1600,
    variants: [
      { values: ['8GB/256GB', '16GB/512GB', '32GB/1TB', '64GB/2TB'], priceFactors: [1, 1.2, 1.5, 1.9] },
      { values: ['Space Gray', 'Silver', 'Midnight', 'Platinum', 'Black'] },
    ],
    products: [
      {
        title: 'MacBook Pro 14-inch (M3 Pro)',
        brand: 'Apple',
        price: 1999,
        description:
          'The M3 Pro chip with an 11-core CPU and 14-core GPU, a 14.2-inch Liquid Retina XDR display, up to 18 hours of battery life, MagSafe 3, HDMI and an SDXC slot.',
        tags: ['macbook', 'macos'],
      },
      {
        title: 'MacBook Air 13-inch (M3)',
        brand: 'Apple',
        price: 1099,
        description:
          'Strikingly thin and fast with the M3 chip, a 13.6-inch Liquid Retina display, a fanless silent design and up to 18 hours of battery life.',
        tags: ['macbook', 'macos', 'ultrabook'],
      },
      {
        title: 'Dell XPS 13 Plus',
        brand: 'Dell',
        price: 1299,
        description:
          'A 13.4-inch InfinityEdge display, 13th Gen Intel Core processors, a seamless glass touchpad and a capacitive function row in a machined aluminum chassis.',
        tags: ['windows', 'ultrabook'],
      },
      {
        title: 'Lenovo ThinkPad X1 Carbon Gen 11',
        brand: 'Lenovo',
        price: 1649,
        description:
          'The legendary business ultrabook: under 1.12 kg, carbon-fiber chassis, Intel vPro, a 14-inch 2.8K OLED option, the TrackPoint and a spill-resistant keyboard.',
        tags: ['windows', 'business', 'thinkpad'],
      },
      {
        title: 'HP Spectre x360 14',
        brand: 'HP',
        price: 1449,
        description:
          'A 2-in-1 convertible with a 2.8K OLED touch display, Intel Core Ultra processors, a 9MP AI camera and an included rechargeable stylus.',
        tags: ['windows', '2-in-1'],
      },
      {
        title: 'ASUS ROG Zephyrus G14',
        brand: 'ASUS',
        price: 1599,
        description:
          'A compact 14-inch gaming laptop with an AMD Ryzen 9 processor, NVIDIA GeForce RTX 4070 graphics and a 3K 120Hz ROG Nebula OLED display.',
        tags: ['windows', 'gaming'],
      },
    ],
  },
  {
    slug: 'tablets',
    weight: 500,
    variants: [
      { values: ['64GB', '128GB', '256GB', '512GB'], priceFactors: [1, 1.1, 1.25, 1.5] },
      { values: ['Wi-Fi', 'Wi-Fi + Cellular'], priceFactors: [1, 1.2] },
    ],
    products: [
      {
        title: 'iPad Pro 11-inch (M4)',
        brand: 'Apple',
        price: 999,
        description:
          'The thinnest Apple product ever, with the M4 chip and an Ultra Retina XDR tandem OLED display. Works with Apple Pencil Pro and Magic Keyboard.',
        tags: ['ipad', 'ipados'],
      },
      {
        title: 'iPad Air 11-inch (M2)',
        brand: 'Apple',
        price: 599,
        description:
          'Serious performance in a thin and light design: the M2 chip, a Liquid Retina display, a landscape 12MP front camera and Apple Pencil Pro support.',
        tags: ['ipad', 'ipados'],
      },
      {
        title: 'Samsung Galaxy Tab S9',
        brand: 'Samsung',
        price: 799,
        description:
          'An 11-inch Dynamic AMOLED 2X display, IP68 water and dust resistance, Snapdragon 8 Gen 2 and the S Pen included in the box.',
        tags: ['android', 'galaxy'],
      },
      {
        title: 'Microsoft Surface Pro 9',
        brand: 'Microsoft',
        price: 999,
        description:
          'The power of a laptop with the flexibility of a tablet: a 13-inch PixelSense Flow display, 12th Gen Intel Core processors and a built-in kickstand.',
        tags: ['windows', '2-in-1'],
      },
      {
        title: 'Amazon Fire HD 10',
        brand: 'Amazon',
        price: 139.99,
        description:
          'A bright 10.1-inch 1080p Full HD display, an octa-core processor, 3GB RAM and up to 13 hours of battery life for reading, streaming and video calls.',
        tags: ['fire-os', 'budget'],
      },
      {
        title: 'Lenovo Tab P12',
        brand: 'Lenovo',
        price: 349.99,
        description:
          'A 12.7-inch 3K display, quad JBL speakers with Dolby Atmos, a 13MP front camera and the Lenovo Tab Pen Plus included.',
        tags: ['android'],
      },
    ],
  },
  {
    slug: 'audio',
    weight: 350,
    variants: [{ values: ['Black', 'White', 'Silver', 'Midnight Blue', 'Sandstone'] }],
    products: [
      {
        title: 'Sony WH-1000XM5 Wireless Noise Canceling Headphones',
        brand: 'Sony',
        price: 399.99,
        description:
          'Industry-leading noise canceling with two processors and eight microphones, exceptional call quality, 30-hour battery life and quick charging.',
        tags: ['headphones', 'bluetooth', 'noise-canceling'],
      },
      {
        title: 'AirPods Pro (2nd generation)',
        brand: 'Apple',
        price: 249,
        description:
          'Up to 2x more Active Noise Cancellation, Adaptive Audio, Personalized Spatial Audio and a MagSafe Charging Case with USB-C.',
        tags: ['earbuds', 'bluetooth', 'noise-canceling'],
      },
      {
        title: 'Bose QuietComfort Ultra Earbuds',
        brand: 'Bose',
        price: 299,
        description:
          'World-class noise cancellation, immersive spatial audio with Bose Immersive Audio and a secure, comfortable fit with CustomTune technology.',
        tags: ['earbuds', 'bluetooth', 'noise-canceling'],
      },
      {
        title: 'JBL Flip 6 Portable Bluetooth Speaker',
        brand: 'JBL',
        price: 129.95,
        description:
          'Bold JBL Original Pro Sound from a racetrack-shaped driver and separate tweeter, IP67 waterproof and dustproof, with 12 hours of playtime.',
        tags: ['speaker', 'bluetooth', 'waterproof'],
      },
      {
        title: 'Sonos Era 100 Smart Speaker',
        brand: 'Sonos',
        price: 249,
        description:
          'Next-gen acoustics with stereo sound, Wi-Fi and Bluetooth streaming, line-in via USB-C and built-in voice control.',
        tags: ['speaker', 'wifi', 'smart-home'],
      },
      {
        title: 'Sennheiser Momentum 4 Wireless',
        brand: 'Sennheiser',
        price: 349.95,
        description:
          'Signature Sennheiser sound with 42mm transducers, adaptive noise cancellation and a class-leading 60-hour battery life.',
        tags: ['headphones', 'bluetooth', 'noise-canceling'],
      },
    ],
  },
  {
    slug: 'mobile-accessories',
    weight: 150,
    variants: [{ values: COLORS }, { values: ['Single', '2-Pack'], priceFactors: [1, 1.8] }],
    products: [
      {
        title: 'Apple MagSafe Charger',
        brand: 'Apple',
        price: 39,
        description:
          'Perfectly aligned magnets snap to iPhone and deliver faster wireless charging up to 15W. Also charges AirPods with a MagSafe case.',
        tags: ['charger', 'magsafe', 'wireless-charging'],
      },
      {
        title: 'Anker 737 Power Bank (24,000mAh)',
        brand: 'Anker',
        price: 109.99,
        description:
          '140W two-way fast charging with Power Delivery 3.1, a smart digital display and enough capacity to charge an iPhone 15 nearly five times.',
        tags: ['power-bank', 'usb-c'],
      },
      {
        title: 'Belkin BoostCharge Pro 3-in-1 Wireless Charging Stand',
        brand: 'Belkin',
        price: 129.99,
        description:
          'Charge iPhone, Apple Watch and AirPods at the same time, with official MagSafe 15W charging and fast Apple Watch charging.',
        tags: ['charger', 'magsafe', 'wireless-charging'],
      },
      {
        title: 'Spigen Ultra Hybrid Case for iPhone 15 Pro',
        brand: 'Spigen',
        price: 17.99,
        description:
          'A crystal-clear, anti-yellowing back with shock-absorbing TPU bumpers and Air Cushion Technology corners. MagSafe compatible.',
        tags: ['case', 'iphone'],
      },
      {
        title: 'Samsung 45W USB-C Super Fast Charger',
        brand: 'Samsung',
        price: 49.99,
        description:
          'Super Fast Charging 2.0 for Galaxy phones and tablets, with Power Delivery 3.0 PPS and a 5A USB-C cable included.',
        tags: ['charger', 'usb-c', 'galaxy'],
      },
      {
        title: 'PopSockets MagSafe PopGrip',
        brand: 'PopSockets',
        price: 29.99,
        description:
          'A swappable phone grip and stand that attaches magnetically to MagSafe iPhones and cases, with a repositionable, reusable base.',
        tags: ['grip', 'magsafe'],
      },
    ],
  },
  {
    slug: 'mens-shirts',
    weight: 300,
    variants: [
      { values: CLOTHING_SIZES },
      { values: ['White', 'Light Blue', 'Navy', 'Charcoal', 'Olive', 'Stripe'] },
    ],
    products: [
      {
        title: "Levi's Classic Standard Fit Denim Shirt",
        brand: "Levi's",
        price: 59.5,
        description:
          'A western-inspired denim shirt in a standard fit with snap closures, two chest pockets and a soft, lived-in wash.',
        tags: ['denim', 'casual'],
      },
      {
        title: 'Ralph Lauren Classic Fit Oxford Shirt',
        brand: 'Ralph Lauren',
        price: 98.5,
        description:
          'A wardrobe staple cut from breathable cotton oxford cloth, with a button-down collar and the signature embroidered Pony.',
        tags: ['oxford', 'cotton'],
      },
      {
        title: 'Uniqlo Extra Fine Cotton Broadcloth Shirt',
        brand: 'Uniqlo',
        price: 29.9,
        description:
          'Smooth, lustrous extra-long-staple cotton broadcloth, easy-care finish and a regular fit that works with or without a tie.',
        tags: ['dress-shirt', 'cotton'],
      },
      {
        title: 'Tommy Hilfiger Slim Fit Stretch Poplin Shirt',
        brand: 'Tommy Hilfiger',
        price: 69.5,
        description:
          'A slim-fit shirt in stretch cotton poplin for all-day comfort, finished with the flag logo at the chest.',
        tags: ['poplin', 'slim-fit'],
      },
      {
        title: 'Patagonia Fjord Flannel Shirt',
        brand: 'Patagonia',
        price: 89,
        description:
          'A midweight, 100% organic cotton flannel shirt with a brushed finish, made in a Fair Trade Certified factory.',
        tags: ['flannel', 'organic-cotton'],
      },
      {
        title: 'BOSS Slim-Fit Linen Shirt',
        brand: 'BOSS',
        price: 128,
        description:
          'A lightweight, breathable pure linen shirt with a Kent collar and a slim fit, made for warm days and summer evenings.',
        tags: ['linen', 'slim-fit'],
      },
    ],
  },
  {
    slug: 'womens-dresses',
    weight: 350,
    variants: [
      { values: CLOTHING_SIZES.slice(0, 5) },
      { values: ['Black', 'Ivory', 'Emerald', 'Floral', 'Navy'] },
    ],
    products: [
      {
        title: 'Zara Satin Midi Slip Dress',
        brand: 'Zara',
        price: 49.9,
        description:
          'A fluid satin-effect midi dress with a V-neckline, thin adjustable straps and a bias cut that drapes beautifully.',
        tags: ['midi', 'satin'],
      },
      {
        title: 'Free People Floral Maxi Dress',
        brand: 'Free People',
        price: 148,
        description:
          'A romantic tiered maxi dress in a printed floral, with a smocked bodice, puff sleeves and a flowing skirt.',
        tags: ['maxi', 'floral', 'boho'],
      },
      {
        title: 'H&M Jersey Wrap Dress',
        brand: 'H&M',
        price: 34.99,
        description:
          'A knee-length wrap dress in soft viscose jersey, with a V-neck, a tie belt at the waist and three-quarter sleeves.',
        tags: ['wrap', 'jersey'],
      },
      {
        title: 'Reformation Linen Midi Dress',
        brand: 'Reformation',
        price: 248,
        description:
          'A fitted-bodice midi dress in breathable, sustainably sourced linen with a square neckline and a slit at the hem.',
        tags: ['midi', 'linen', 'sustainable'],
      },
      {
        title: 'Mango Knitted Bodycon Dress',
        brand: 'Mango',
        price: 59.99,
        description:
          'A fine-knit bodycon dress with a round neck and long sleeves, ribbed for a close, flattering fit.',
        tags: ['knit', 'bodycon'],
      },
    ],
  },
  {
    slug: 'shoes',
    weight: 900,
    variants: [
      { values: ['US 6', 'US 7', 'US 8', 'US 9', 'US 10', 'US 11', 'US 12'] },
      { values: ['Black', 'White', 'Grey', 'Navy', 'Tan'] },
    ],
    products: [
      {
        title: "Nike Air Force 1 '07",
        brand: 'Nike',
        price: 115,
        description:
          'The radiance lives on: crisp leather, bold colors and the perfect amount of flash, with Nike Air cushioning for all-day comfort.',
        tags: ['sneakers', 'leather'],
      },
      {
        title: 'Adidas Ultraboost Light Running Shoes',
        brand: 'Adidas',
        price: 190,
        description:
          'The lightest Ultraboost ever, with Light BOOST cushioning, a Primeknit+ upper and a Continental Rubber outsole for grip in wet and dry conditions.',
        tags: ['running', 'sneakers'],
      },
      {
        title: 'New Balance 990v6',
        brand: 'New Balance',
        price: 199.99,
        description:
          'Made in the USA with a pigskin and mesh upper and FuelCell foam cushioning: the latest version of an icon.',
        tags: ['sneakers', 'made-in-usa'],
      },
      {
        title: 'Converse Chuck Taylor All Star High Top',
        brand: 'Converse',
        price: 65,
        description:
          'The unmistakable high-top silhouette with a durable canvas upper, a rubber toe cap and the classic ankle patch.',
        tags: ['sneakers', 'canvas'],
      },
      {
        title: 'Dr. Martens 1460 Smooth Leather Boots',
        brand: 'Dr. Martens',
        price: 170,
        description:
          'The original eight-eye boot in Smooth leather, with yellow welt stitching, a grooved sole edge and the air-cushioned AirWair sole.',
        tags: ['boots', 'leather'],
      },
      {
        title: 'Vans Old Skool',
        brand: 'Vans',
        price: 70,
        description:
          'The classic skate shoe and first to bear the iconic sidestripe: sturdy canvas and suede uppers, padded collars and a waffle outsole.',
        tags: ['sneakers', 'skate'],
      },
    ],
  },
  {
    slug: 'watches',
    weight: 120,
    variants: [
      { values: ['40mm', '42mm', '44mm', '46mm'], priceFactors: [1, 1.05, 1.1, 1.15] },
      { values: ['Black', 'Silver', 'Midnight', 'Starlight', 'Green'] },
    ],
    products: [
      {
        title: 'Apple Watch Series 9 GPS',
        brand: 'Apple',
        price: 429,
        description:
          'A brighter display, the S9 SiP, a magical new way to use the watch without touching the screen, and advanced health and fitness features.',
        tags: ['smartwatch', 'fitness'],
      },
      {
        title: 'Samsung Galaxy Watch6 Classic',
        brand: 'Samsung',
        price: 399.99,
        description:
          'The iconic rotating bezel returns on a larger, brighter Super AMOLED display, with advanced sleep coaching and body composition analysis.',
        tags: ['smartwatch', 'galaxy'],
      },
      {
        title: 'Garmin Forerunner 265',
        brand: 'Garmin',
        price: 449.99,
        description:
          'A running smartwatch with a bright AMOLED display, training readiness, HRV status and up to 13 days of battery life.',
        tags: ['smartwatch', 'running', 'gps'],
      },
      {
        title: 'Casio G-Shock GA-2100',
        brand: 'Casio',
        price: 99,
        description:
          'The slim octagonal "CasiOak" with Carbon Core Guard structure, 200m water resistance and an analog-digital display.',
        tags: ['analog-digital', 'rugged'],
      },
      {
        title: 'Seiko 5 Sports Automatic SRPD55',
        brand: 'Seiko',
        price: 295,
        description:
          'A 4R36 automatic movement with a 41-hour power reserve, a unidirectional rotating bezel and a day-date display.',
        tags: ['automatic', 'analog'],
      },
    ],
  },
  {
    slug: 'sunglasses',
    weight: 60,
    variants: [
      { values: ['Polarized', 'Non-Polarized', 'Gradient'], priceFactors: [1.2, 1, 1.05] },
      { values: ['Gold/Green', 'Black/Grey', 'Tortoise/Brown', 'Silver/Blue'] },
    ],
    products: [
      {
        title: 'Ray-Ban Aviator Classic',
        brand: 'Ray-Ban',
        price: 171,
        description:
          'Originally designed for U.S. aviators in 1937: a thin metal frame, teardrop lenses and 100% UV protection.',
        tags: ['aviator', 'metal'],
      },
      {
        title: 'Ray-Ban Original Wayfarer',
        brand: 'Ray-Ban',
        price: 161,
        description:
          'The most recognizable style in the history of sunglasses, with a distinctive acetate frame and G-15 crystal lenses.',
        tags: ['wayfarer', 'acetate'],
      },
      {
        title: 'Oakley Holbrook Polarized',
        brand: 'Oakley',
        price: 203,
        description:
          'A timeless, classic design with Prizm lens technology for enhanced color and contrast, and a lightweight O Matter frame.',
        tags: ['square', 'sport'],
      },
      {
        title: 'Persol PO0714 Folding Sunglasses',
        brand: 'Persol',
        price: 390,
        description:
          'The iconic folding model famously worn by Steve McQueen, handmade in Italy with the patented Meflecto system.',
        tags: ['folding', 'made-in-italy'],
      },
      {
        title: 'Maui Jim Peahi Polarized',
        brand: 'Maui Jim',
        price: 329,
        description:
          'A wraparound sport frame with PolarizedPlus2 lenses that eliminate 99.9% of glare and enhance color.',
        tags: ['wraparound', 'sport'],
      },
    ],
  },
  {
    slug: 'womens-bags',
    weight: 800,
    variants: [{ values: ['Black', 'Tan', 'Cream', 'Burgundy', 'Navy'] }],
    products: [
      {
        title: 'Michael Kors Jet Set Travel Tote',
        brand: 'Michael Kors',
        price: 298,
        description:
          'A roomy tote in signature logo canvas with leather trim, a zip-top closure and interior pockets for everyday essentials.',
        tags: ['tote', 'leather'],
      },
      {
        title: 'Coach Tabby Shoulder Bag 26',
        brand: 'Coach',
        price: 450,
        description:
          'Refined pebble leather, the signature hardware and a detachable short strap and long strap for shoulder or crossbody wear.',
        tags: ['shoulder-bag', 'leather'],
      },
      {
        title: 'Kate Spade Knott Medium Satchel',
        brand: 'Kate Spade',
        price: 348,
        description:
          'A structured satchel in pebbled leather with a knotted handle, a removable crossbody strap and a zip-top closure.',
        tags: ['satchel', 'leather'],
      },
      {
        title: 'Longchamp Le Pliage Original Tote',
        brand: 'Longchamp',
        price: 155,
        description:
          'The iconic foldable tote in recycled canvas with Russian leather trim: light, practical and made to travel.',
        tags: ['tote', 'foldable'],
      },
      {
        title: 'Tory Burch Ella Tote',
        brand: 'Tory Burch',
        price: 248,
        description:
          'A lightweight, water-resistant recycled nylon tote that fits a laptop, with leather handles and an interior zip pocket.',
        tags: ['tote', 'nylon'],
      },
    ],
  },
  {
    slug: 'furniture',
    weight: 25000,
    variants: [
      { values: ['Oak', 'Walnut', 'White', 'Black', 'Natural Ash'], priceFactors: [1, 1.15, 1, 1, 1.05] },
    ],
    products: [
      {
        title: 'IKEA KALLAX Shelf Unit',
        brand: 'IKEA',
        price: 89.99,
        description:
          'A simple, clean-lined shelving unit that works standing or lying down, as a room divider or with inserts and boxes.',
        tags: ['shelf', 'storage'],
      },
      {
        title: 'IKEA POÄNG Armchair',
        brand: 'IKEA',
        price: 129,
        description:
          'Layer-glued bent birch gives a comfortable resilience; the high back provides good support for the neck.',
        tags: ['armchair', 'living-room'],
      },
      {
        title: 'Herman Miller Aeron Chair',
        brand: 'Herman Miller',
        price: 1395,
        description:
          'The benchmark for ergonomic seating, with 8Z Pellicle suspension, PostureFit SL back support and a 12-year warranty.',
        tags: ['office-chair', 'ergonomic'],
      },
      {
        title: 'West Elm Mid-Century Bed Frame (Queen)',
        brand: 'West Elm',
        price: 1199,
        description:
          'Clean lines, tapered legs and a solid wood frame with a low-profile headboard inspired by mid-century design.',
        tags: ['bed', 'bedroom', 'mid-century'],
      },
      {
        title: 'Article Sven Charme Tan Sofa',
        brand: 'Article',
        price: 1799,
        description:
          'Full-grain semi-aniline leather that develops a rich patina, tufted seat and back cushions and solid alder legs.',
        tags: ['sofa', 'leather', 'living-room'],
      },
      {
        title: 'FlexiSpot E7 Standing Desk',
        brand: 'FlexiSpot',
        price: 499.99,
        description:
          'A dual-motor electric height-adjustable desk frame with a 355 lb capacity, four memory presets and anti-collision.',
        tags: ['desk', 'office', 'ergonomic'],
      },
    ],
  },
  {
    slug: 'kitchen',
    weight: 3000,
    variants: [{ values: ['Red', 'Black', 'White', 'Stainless Steel', 'Sage'] }],
    products: [
      {
        title: 'KitchenAid Artisan 5-Quart Stand Mixer',
        brand: 'KitchenAid',
        price: 449.99,
        description:
          'A tilt-head stand mixer with 10 speeds, a 5-quart stainless steel bowl and 59-point planetary mixing action.',
        tags: ['mixer', 'baking'],
      },
      {
        title: 'Instant Pot Duo 7-in-1 Electric Pressure Cooker (6 Qt)',
        brand: 'Instant Pot',
        price: 99.95,
        description:
          'Pressure cooker, slow cooker, rice cooker, steamer, sauté pan, yogurt maker and warmer in one appliance.',
        tags: ['pressure-cooker', 'appliance'],
      },
      {
        title: 'Ninja AF101 Air Fryer',
        brand: 'Ninja',
        price: 89.99,
        description:
          'A 4-quart air fryer that uses up to 75% less fat than traditional frying, with air fry, roast, reheat and dehydrate functions.',
        tags: ['air-fryer', 'appliance'],
      },
      {
        title: 'Le Creuset Signature Round Dutch Oven (5.5 Qt)',
        brand: 'Le Creuset',
        price: 420,
        description:
          'Enameled cast iron with superior heat distribution and retention, a tight-fitting lid and ergonomic handles.',
        tags: ['cookware', 'cast-iron'],
      },
      {
        title: 'Lodge 10.25-Inch Cast Iron Skillet',
        brand: 'Lodge',
        price: 24.9,
        description:
          'Pre-seasoned with 100% vegetable oil and made in the USA: sear, sauté, bake, broil, braise, fry or grill.',
        tags: ['cookware', 'cast-iron'],
      },
      {
        title: 'Nespresso Vertuo Next Coffee Machine',
        brand: 'Nespresso',
        price: 179,
        description:
          'Brews five cup sizes from espresso to coffee at the touch of a button using Centrifusion technology.',
        tags: ['coffee', 'appliance'],
      },
      {
        title: 'Vitamix 5200 Blender',
        brand: 'Vitamix',
        price: 449.95,
        description:
          'A professional-grade blender with a 64-ounce container, variable speed control and self-cleaning in 60 seconds.',
        tags: ['blender', 'appliance'],
      },
    ],
  },
  {
    slug: 'lighting',
    weight: 1200,
    variants: [{ values: ['Warm White', 'Cool White', 'Full Color'], priceFactors: [1, 1, 1.25] }],
    products: [
      {
        title: 'Philips Hue White and Color Ambiance Starter Kit',
        brand: 'Philips Hue',
        price: 199.99,
        description:
          'Three A19 smart bulbs and the Hue Bridge: 16 million colors, voice control and routines that follow your day.',
        tags: ['smart-home', 'bulbs'],
      },
      {
        title: 'IKEA RANARP Floor Lamp',
        brand: 'IKEA',
        price: 69.99,
        description:
          'An adjustable steel floor/reading lamp with a directed light that is easy to aim, in an industrial-inspired style.',
        tags: ['floor-lamp', 'reading'],
      },
      {
        title: 'Nanoleaf Shapes Hexagons Smarter Kit',
        brand: 'Nanoleaf',
        price: 199.99,
        description:
          'Modular, touch-reactive light panels that sync to music and screen, with Matter and Thread support.',
        tags: ['smart-home', 'panels', 'rgb'],
      },
      {
        title: 'Govee RGBIC LED Strip Lights (32.8 ft)',
        brand: 'Govee',
        price: 39.99,
        description:
          'Segmented color control, music sync and app or voice control with Alexa and Google Assistant.',
        tags: ['led-strip', 'rgb'],
      },
      {
        title: 'BenQ ScreenBar Monitor Light Bar',
        brand: 'BenQ',
        price: 109,
        description:
          'Asymmetric optical design lights your desk without screen glare, with auto-dimming and adjustable color temperature.',
        tags: ['desk-lamp', 'office'],
      },
      {
        title: 'Artemide Tolomeo Desk Lamp',
        brand: 'Artemide',
        price: 495,
        description:
          'A design icon since 1987: polished aluminum arms with a balanced spring system and a rotating diffuser.',
        tags: ['desk-lamp', 'design'],
      },
    ],
  },
  {
    slug: 'home-decoration',
    weight: 1500,
    variants: [{ values: ['Natural', 'Charcoal', 'Ivory', 'Terracotta', 'Sage'] }],
    products: [
      {
        title: 'Yankee Candle Balsam & Cedar Large Jar Candle',
        brand: 'Yankee Candle',
        price: 31.99,
        description:
          'A large 22 oz jar candle with the crisp scent of fir balsam and cedar, up to 150 hours of burn time.',
        tags: ['candle', 'scented'],
      },
      {
        title: 'Umbra Hub Round Wall Mirror (24-inch)',
        brand: 'Umbra',
        price: 129,
        description:
          'A modern round mirror with a rubber-like frame that adds a subtle industrial touch to entryways and bathrooms.',
        tags: ['mirror', 'wall-decor'],
      },
      {
        title: 'Ruggable Kamran Washable Area Rug (5x7)',
        brand: 'Ruggable',
        price: 299,
        description:
          'A two-piece system with a non-slip pad and a machine-washable, stain-resistant cover in a vintage-inspired design.',
        tags: ['rug', 'washable'],
      },
      {
        title: 'Threshold Ceramic Table Vase',
        brand: 'Threshold',
        price: 24.99,
        description:
          'A matte stoneware vase with an organic silhouette, for fresh or dried stems on a table or shelf.',
        tags: ['vase', 'ceramic'],
      },
      {
        title: 'Pottery Barn Faux Fur Throw Blanket',
        brand: 'Pottery Barn',
        price: 99.5,
        description:
          'Luxuriously soft faux fur backed with plush microfiber: a cozy layer for the sofa or the foot of the bed.',
        tags: ['throw', 'blanket'],
      },
    ],
  },
  {
    slug: 'fragrances',
    weight: 400,
    variants: [{ values: ['30 ml', '50 ml', '100 ml', '150 ml'], priceFactors: [0.55, 0.75, 1, 1.3] }],
    products: [
      {
        title: 'Chanel Coco Mademoiselle Eau de Parfum',
        brand: 'Chanel',
        price: 175,
        description:
          'An irresistibly sensual oriental fragrance: fresh orange and bergamot, a heart of rose and jasmine and a patchouli base.',
        tags: ['perfume', 'women'],
      },
      {
        title: 'Dior Sauvage Eau de Toilette',
        brand: 'Dior',
        price: 128,
        description:
          'Radically fresh and raw: juicy Calabrian bergamot meets the woody trail of Ambroxan. 100 ml spray.',
        tags: ['cologne', 'men'],
      },
      {
        title: 'Calvin Klein CK One Eau de Toilette',
        brand: 'Calvin Klein',
        price: 67,
        description:
          'The original shared fragrance: clean and contemporary, with green tea, bergamot and papaya.',
        tags: ['unisex'],
      },
      {
        title: 'Yves Saint Laurent Libre Eau de Parfum',
        brand: 'Yves Saint Laurent',
        price: 158,
        description:
          'The freedom to live everything: French lavender and Moroccan orange blossom on a warm vanilla base.',
        tags: ['perfume', 'women'],
      },
      {
        title: 'Jo Malone Wood Sage & Sea Salt Cologne',
        brand: 'Jo Malone London',
        price: 165,
        description:
          'Escape to the windswept shore with the mineral scent of sea salt and the earthiness of sage. Light and fresh.',
        tags: ['cologne', 'unisex'],
      },
      {
        title: 'Gucci Bloom Eau de Parfum',
        brand: 'Gucci',
        price: 148,
        description:
          'A rich white floral scent of tuberose, jasmine and Rangoon creeper, created to celebrate authenticity.',
        tags: ['perfume', 'women', 'floral'],
      },
    ],
  },
  {
    slug: 'skin-care',
    weight: 250,
    variants: [{ values: ['Travel Size', 'Standard', 'Value Size'], priceFactors: [0.5, 1, 1.6] }],
    products: [
      {
        title: 'CeraVe Moisturizing Cream',
        brand: 'CeraVe',
        price: 18.99,
        description:
          'A rich, non-greasy cream with three essential ceramides and hyaluronic acid that restores the skin barrier. 16 oz.',
        tags: ['moisturizer', 'dry-skin'],
      },
      {
        title: 'The Ordinary Niacinamide 10% + Zinc 1%',
        brand: 'The Ordinary',
        price: 6.5,
        description:
          'A high-strength vitamin and mineral blemish formula that visibly reduces the look of congestion and balances oil.',
        tags: ['serum', 'niacinamide'],
      },
      {
        title: 'La Roche-Posay Anthelios Melt-in Milk Sunscreen SPF 60',
        brand: 'La Roche-Posay',
        price: 37.99,
        description:
          'Broad spectrum SPF 60 with Cell-Ox Shield technology, fast absorbing, water resistant for 80 minutes.',
        tags: ['sunscreen', 'spf'],
      },
      {
        title: 'Neutrogena Hydro Boost Water Gel',
        brand: 'Neutrogena',
        price: 24.99,
        description:
          'An oil-free gel moisturizer with hyaluronic acid that instantly quenches dry skin and keeps it hydrated.',
        tags: ['moisturizer', 'hyaluronic-acid'],
      },
      {
        title: "Kiehl's Ultra Facial Cream",
        brand: "Kiehl's",
        price: 38,
        description:
          'A lightweight daily face moisturizer with squalane and glacial glycoprotein for 24-hour hydration.',
        tags: ['moisturizer'],
      },
      {
        title: 'Olay Regenerist Micro-Sculpting Cream',
        brand: 'Olay',
        price: 29.99,
        description:
          'An advanced anti-aging moisturizer with hyaluronic acid, amino-peptides and niacinamide for firmer-looking skin.',
        tags: ['anti-aging', 'moisturizer'],
      },
    ],
  },
  {
    slug: 'makeup',
    weight: 100,
    variants: [{ values: ['Shade 01', 'Shade 02', 'Shade 03', 'Shade 04', 'Shade 05', 'Shade 06'] }],
    products: [
      {
        title: 'Maybelline Lash Sensational Sky High Mascara',
        brand: 'Maybelline',
        price: 12.99,
        description:
          'Limitless length and full volume from a flexible brush and a bamboo-extract and fiber-infused formula.',
        tags: ['mascara', 'eyes'],
      },
      {
        title: "Fenty Beauty Pro Filt'r Soft Matte Foundation",
        brand: 'Fenty Beauty',
        price: 40,
        description:
          'A soft matte, longwear foundation with buildable medium to full coverage in 50 boundary-breaking shades.',
        tags: ['foundation', 'face'],
      },
      {
        title: 'MAC Matte Lipstick Ruby Woo',
        brand: 'MAC',
        price: 23,
        description:
          'The iconic vivid blue-red in a retro matte finish with rich color payoff and a no-shine look.',
        tags: ['lipstick', 'lips'],
      },
      {
        title: 'NARS Radiant Creamy Concealer',
        brand: 'NARS',
        price: 32,
        description:
          'A multi-action concealer that corrects, contours and highlights with a natural radiant finish for up to 16 hours.',
        tags: ['concealer', 'face'],
      },
      {
        title: 'Urban Decay Naked3 Eyeshadow Palette',
        brand: 'Urban Decay',
        price: 56,
        description: 'Twelve rose-hued neutral shades from shimmer to matte, with a double-ended brush.',
        tags: ['eyeshadow', 'eyes', 'palette'],
      },
      {
        title: 'Essence Lash Princess False Lash Effect Mascara',
        brand: 'Essence',
        price: 4.99,
        description:
          'Dramatic volume and length for a false lash look, with a conic fiber brush. Cruelty free and affordable.',
        tags: ['mascara', 'eyes'],
      },
    ],
  },
  {
    slug: 'groceries',
    weight: 1000,
    variants: [
      { values: ['Single', 'Pack of 2', 'Pack of 4', 'Pack of 6'], priceFactors: [1, 1.9, 3.6, 5.2] },
    ],
    products: [
      {
        title: 'Lavazza Super Crema Whole Bean Coffee (2.2 lb)',
        brand: 'Lavazza',
        price: 23.99,
        description:
          'A mild and creamy medium roast espresso blend of Arabica and Robusta beans with notes of hazelnut and brown sugar.',
        tags: ['coffee', 'whole-bean'],
      },
      {
        title: 'Barilla Spaghetti No. 5 (16 oz)',
        brand: 'Barilla',
        price: 1.99,
        description:
          "Italy's #1 brand of pasta, made with non-GMO durum wheat semolina; cooks al dente in 9 minutes.",
        tags: ['pasta', 'pantry'],
      },
      {
        title: 'Kirkland Signature Organic Extra Virgin Olive Oil (2 L)',
        brand: 'Kirkland Signature',
        price: 24.99,
        description: 'Cold-pressed, USDA organic extra virgin olive oil with a smooth, fruity flavor.',
        tags: ['olive-oil', 'organic', 'pantry'],
      },
      {
        title: "Nature Valley Crunchy Granola Bars Oats 'n Honey (49 ct)",
        brand: 'Nature Valley',
        price: 15.98,
        description:
          'Whole grain oats and a touch of honey, baked into crunchy bars: an easy snack on the go.',
        tags: ['snacks', 'granola'],
      },
      {
        title: 'Lindt Excellence 70% Cocoa Dark Chocolate Bar',
        brand: 'Lindt',
        price: 3.29,
        description:
          'Intense, well-balanced dark chocolate crafted by the Lindt Master Chocolatiers. 3.5 oz bar.',
        tags: ['chocolate', 'snacks'],
      },
      {
        title: 'Twinings English Breakfast Tea (100 bags)',
        brand: 'Twinings',
        price: 11.49,
        description:
          'A full-bodied, robust and rich blend of black teas, delicious with milk. Individually wrapped bags.',
        tags: ['tea', 'black-tea'],
      },
      {
        title: 'Quaker Old Fashioned Oats (42 oz)',
        brand: 'Quaker',
        price: 7.49,
        description: '100% whole grain rolled oats: a heart-healthy breakfast that cooks in five minutes.',
        tags: ['oats', 'breakfast'],
      },
    ],
  },
  {
    slug: 'fitness',
    weight: 5000,
    variants: [{ values: ['Black', 'Grey', 'Blue', 'Red'] }],
    products: [
      {
        title: 'Bowflex SelectTech 552 Adjustable Dumbbells',
        brand: 'Bowflex',
        price: 429,
        description:
          'Adjusts from 5 to 52.5 lb with the turn of a dial, replacing 15 sets of weights in a compact footprint. Sold as a pair.',
        tags: ['dumbbells', 'home-gym'],
      },
      {
        title: 'Manduka PRO Yoga Mat (6mm)',
        brand: 'Manduka',
        price: 129,
        description:
          'The ultra-dense, cushioned mat loved by teachers: closed-cell surface, lifetime guarantee and emissions-free manufacturing.',
        tags: ['yoga', 'mat'],
      },
      {
        title: 'Fitbit Charge 6',
        brand: 'Fitbit',
        price: 159.95,
        description:
          'A fitness tracker with built-in GPS, heart rate on exercise equipment, Google Maps and Wallet, and 7-day battery life.',
        tags: ['tracker', 'wearable'],
      },
      {
        title: 'TRX All-in-One Suspension Trainer',
        brand: 'TRX',
        price: 169.95,
        description:
          'Bodyweight training anywhere: anchors for doors and outdoors, with app workouts included.',
        tags: ['bodyweight', 'home-gym'],
      },
      {
        title: 'Concept2 RowErg Indoor Rower',
        brand: 'Concept2',
        price: 990,
        description:
          'The rower used by athletes worldwide: flywheel air resistance, the PM5 performance monitor and quick separation for storage.',
        tags: ['rower', 'cardio'],
      },
      {
        title: 'Theragun Prime Massage Gun',
        brand: 'Therabody',
        price: 299,
        description:
          'Percussive therapy with a quiet brushless motor, five speeds and four attachments for recovery.',
        tags: ['recovery', 'massage'],
      },
      {
        title: 'Optimum Nutrition Gold Standard 100% Whey (5 lb)',
        brand: 'Optimum Nutrition',
        price: 79.99,
        description:
          '24 grams of blended protein per serving, primarily from whey protein isolate, with 5.5 grams of BCAAs.',
        tags: ['protein', 'supplements'],
      },
    ],
  },
  {
    slug: 'outdoor',
    weight: 1500,
    variants: [{ values: ['Black', 'Navy', 'Olive', 'Stone', 'Orange'] }],
    products: [
      {
        title: 'YETI Rambler 26 oz Bottle',
        brand: 'YETI',
        price: 40,
        description:
          'Double-wall vacuum-insulated stainless steel with a leakproof Chug Cap; keeps drinks cold or hot for hours.',
        tags: ['bottle', 'hydration'],
      },
      {
        title: 'Coleman Sundome 4-Person Camping Tent',
        brand: 'Coleman',
        price: 99.99,
        description:
          'Sets up in 10 minutes, with WeatherTec welded floors, a rainfly and large windows for ventilation.',
        tags: ['tent', 'camping'],
      },
      {
        title: 'Osprey Atmos AG 65 Backpack',
        brand: 'Osprey',
        price: 340,
        description:
          'Anti-Gravity suspension for legendary comfort on multi-day trips, with an adjustable harness and hipbelt.',
        tags: ['backpack', 'hiking'],
      },
      {
        title: 'Hydro Flask 32 oz Wide Mouth',
        brand: 'Hydro Flask',
        price: 44.95,
        description:
          'TempShield insulation keeps drinks cold up to 24 hours and hot up to 12, with a Flex Cap and a durable powder coat.',
        tags: ['bottle', 'hydration'],
      },
      {
        title: 'Black Diamond Spot 400 Headlamp',
        brand: 'Black Diamond',
        price: 49.95,
        description:
          'A 400-lumen waterproof headlamp with PowerTap brightness control and a red night-vision mode.',
        tags: ['headlamp', 'camping', 'hiking'],
      },
    ],
  },
];
