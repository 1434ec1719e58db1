import { setPasswordHashCost } from '../src/access/users/password.js';

// Production hashes at scrypt N=2^17 (half a second here); tests would spend minutes on it.
setPasswordHashCost(10);
