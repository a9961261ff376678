/** 1,000 products in 10 domains of 100: large domains, whose pages each draw hundreds of products. */
import { describeScale } from './support/scale-suite';

describeScale({ domains: 10, productsPerDomain: 100 });
