/** 1,000 products in 50 domains of 20: many small domains, a wide domain overview. */
import { describeScale } from './support/scale-suite';

describeScale({ domains: 50, productsPerDomain: 20 });
