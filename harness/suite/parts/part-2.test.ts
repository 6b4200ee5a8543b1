// Part 2 of the rule suite: the rules whose id hashes here (rule-suite.ts).
import { registerRuleSuite } from '../rule-suite.ts';

registerRuleSuite(2);
