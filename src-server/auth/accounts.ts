/** Registration and password login. Session and token issuing is the TokenService's job. */
import type { Clock } from '../../src-shared/clock';
import type { LoginRequest, RegisterRequest, TokenResponse, User } from '../../src-shared/http-api';
import { ApiHttpError } from '../http/errors';
import { EmailTakenError, normalizeEmail, type UserStore } from '../store/users';
import type { LoginThrottle } from './login-throttle';
import { dummyPasswordHash, hashPassword, verifyPassword } from './passwords';
import { toUser, type TokenService } from './token-service';

export class Accounts {
  constructor(
    private readonly users: UserStore,
    private readonly tokens: TokenService,
    private readonly throttle: LoginThrottle,
    private readonly clock: Clock,
  ) {}

  async register(req: RegisterRequest): Promise<User> {
    const email = normalizeEmail(req.email);
    if (await this.users.findByEmail(email)) throw emailTaken();
    const row = {
      id: crypto.randomUUID(),
      email,
      display_name: req.displayName,
      password_hash: await hashPassword(req.password),
      created_at: this.clock.now(),
    };
    try {
      await this.users.create(row);
    } catch (err) {
      if (err instanceof EmailTakenError) throw emailTaken();
      throw err;
    }
    return toUser(row);
  }

  async login(req: LoginRequest, address: string): Promise<TokenResponse> {
    const email = normalizeEmail(req.email);
    const startedAt = this.clock.now();
    const waitMs = this.throttle.retryAfterMs(email, address, startedAt);
    if (waitMs > 0) {
      const seconds = Math.ceil(waitMs / 1000);
      throw new ApiHttpError(429, 'rate_limited', `too many failed sign-ins; retry in ${seconds} s`, {
        'retry-after': String(seconds),
      });
    }
    this.throttle.begin(email, address, startedAt);
    const user = await this.users.findByEmail(email);
    // Unknown emails pay for a real Argon2 verify too, so timing does not tell them apart.
    const ok = user
      ? await verifyPassword(user.password_hash, req.password)
      : (await verifyPassword(await dummyPasswordHash(), req.password), false);
    if (!user || !ok) {
      throw new ApiHttpError(401, 'invalid_credentials', 'email or password is incorrect');
    }
    this.throttle.succeeded(email, address, startedAt);
    return this.tokens.startSession(user, req.deviceName ?? null);
  }
}

const emailTaken = () => new ApiHttpError(409, 'email_taken', 'an account with this email already exists');
