/**
 * The reference inbox's starting data (model.ts loads it on start and on `POST /__control/reset`)
 * and the name/phone generators behind `POST /__control/seed` and `POST /__control/seed-blocked`.
 *
 * Loja Aurora is a small Brazilian shop with French customers too: 8 ordinary customers,
 * 3 spammers that keep writing (controls.ts runs their ticker), one archived and one blocked
 * contact so the archived/blocked lists are never empty.
 */
import type { Role } from './types.ts';

export const ACCOUNT_NAME = 'Loja Aurora';

export interface SeedUser {
  role: Role;
  name: string;
  email: string;
  restricted?: boolean;
  /** Token suffix: `pn_demo_<x>` (Helena) or `cw_demo_<x>` (Chatwoot); none = no API token. */
  token?: string;
}

export const SEED_USERS: SeedUser[] = [
  { role: 'owner', name: 'Olivia Owner', email: 'olivia@aurora.example', token: 'owner' },
  { role: 'admin', name: 'Ana Admin', email: 'ana@aurora.example', token: 'admin' },
  { role: 'manager', name: 'Marcos Manager', email: 'marcos@aurora.example', token: 'manager' },
  { role: 'agent', name: 'Pedro Agent', email: 'pedro@aurora.example', token: 'agent' },
];

/** Helena only: a RestrictedAgent profile, listed by /core/v1/agent, with no API token. */
export const SEED_RESTRICTED_USER: SeedUser = {
  role: 'agent',
  name: 'Rita Restrita',
  email: 'rita@aurora.example',
  restricted: true,
};

/** [direction, text, minutes ago] */
export type SeedMessage = ['in' | 'out', string, number];

export interface SeedContact {
  name: string;
  phone: string;
  email: string | null;
  kind: 'customer' | 'spammer' | 'archived' | 'blocked';
  messages: SeedMessage[];
  /** Messages the agent has not read yet (the last N incoming ones). */
  unread?: number;
}

export const SEED_CONTACTS: SeedContact[] = [
  {
    name: 'Mariana Souza', phone: '+5511987654321', email: 'mariana.souza@correio.example', kind: 'customer', unread: 1,
    messages: [
      ['in', 'Oi! Meu pedido #4821 ainda não chegou, podem verificar?', 95],
      ['out', 'Olá Mariana! Vou verificar com a transportadora agora mesmo.', 90],
      ['out', 'Ele saiu para entrega hoje de manhã 🚚', 84],
      ['in', 'Perfeito, muito obrigada!', 12],
    ],
  },
  {
    name: 'João Pereira', phone: '+5521998765432', email: 'joao.pereira@correio.example', kind: 'customer', unread: 2,
    messages: [
      ['in', 'Boa tarde, vocês têm a jaqueta azul no tamanho G?', 50],
      ['in', 'E qual o prazo de entrega para o Rio?', 49],
    ],
  },
  {
    name: 'Camille Dubois', phone: '+33612345678', email: 'camille.dubois@courriel.example', kind: 'customer',
    messages: [
      ['in', 'Bonjour, est-ce que vous livrez en France ?', 300],
      ['out', 'Bonjour Camille ! Oui, nous livrons en France en 7 à 10 jours ouvrés.', 295],
      ['in', "Super, je passe commande ce soir alors. Merci !", 290],
    ],
  },
  {
    name: 'Beatriz Lima', phone: '+5531991234567', email: 'beatriz.lima@correio.example', kind: 'customer', unread: 1,
    messages: [
      ['in', 'Olá! Gostaria de trocar um vestido que ficou pequeno.', 140],
      ['out', 'Claro, Beatriz! Pode nos enviar o número do pedido?', 130],
      ['in', 'É o pedido #4790.', 33],
    ],
  },
  {
    name: 'Julien Moreau', phone: '+33698765432', email: 'julien.moreau@courriel.example', kind: 'customer',
    messages: [
      ['in', "J'ai reçu un article abîmé, que dois-je faire ?", 1440],
      ['out', 'Désolés pour ce souci, Julien. Pouvez-vous nous envoyer une photo ?', 1430],
      ['in', 'Voilà la photo, le carton était écrasé.', 1425],
      ['out', 'Merci ! Un nouvel article part demain, sans frais.', 1400],
      ['in', 'Parfait, merci beaucoup.', 1390],
    ],
  },
  {
    name: 'Lucas Almeida', phone: '+5511976543210', email: 'lucas.almeida@correio.example', kind: 'customer',
    messages: [
      ['in', 'Vocês aceitam Pix?', 600],
      ['out', 'Aceitamos sim, Lucas! O QR code aparece no final da compra.', 590],
    ],
  },
  {
    name: 'Chloé Laurent', phone: '+33711223344', email: 'chloe.laurent@courriel.example', kind: 'customer', unread: 1,
    messages: [
      ['in', 'Bonsoir ! Le code promo AURORA10 ne fonctionne pas.', 20],
      ['out', 'Bonsoir Chloé, il est valable à partir de 100 € d’achat.', 18],
      ['in', 'Ah d’accord, je comprends mieux.', 7],
    ],
  },
  {
    name: 'Antoine Girard', phone: '+33645566778', email: null, kind: 'customer',
    messages: [
      ['in', 'Vous avez une boutique physique à Lyon ?', 2880],
      ['out', 'Pas encore, Antoine, seulement en ligne pour le moment.', 2870],
    ],
  },
  {
    name: 'Promo Relâmpago', phone: '+5511900000001', email: null, kind: 'spammer', unread: 2,
    messages: [
      ['in', '🔥 PROMOÇÃO RELÂMPAGO!!! Celulares a partir de R$ 99, só hoje: bit.ly/promo-xyz', 40],
      ['in', 'ÚLTIMAS UNIDADES!!! Clique agora e garanta o seu 🔥🔥🔥', 8],
    ],
  },
  {
    name: 'Crypto Gains 24h', phone: '+447700900123', email: 'vip@cryptogains.example', kind: 'spammer', unread: 3,
    messages: [
      ['in', '💰 Turn R$ 500 into R$ 50.000 in 24h with our crypto robot!', 70],
      ['in', 'Guaranteed returns, no risk. Reply YES to join the VIP group.', 45],
      ['in', 'Only 3 spots left!!! 🚀🚀', 5],
    ],
  },
  {
    name: 'Ganhe Dinheiro Já', phone: '+5521900000002', email: null, kind: 'spammer', unread: 1,
    messages: [
      ['in', 'Ganhe R$ 3.000 por semana trabalhando de casa!!! Chame no privado 💸', 15],
    ],
  },
  {
    name: 'Renata Campos', phone: '+5511955554444', email: 'renata.campos@correio.example', kind: 'archived',
    messages: [
      ['in', 'Obrigada pelo atendimento, deu tudo certo!', 4320],
      ['out', 'Nós que agradecemos, Renata! 😊', 4310],
    ],
  },
  {
    name: 'Empréstimo Fácil', phone: '+5511900000009', email: null, kind: 'blocked',
    messages: [
      ['in', 'Empréstimo aprovado na hora, sem consulta ao SPC!!! Responda SIM', 5000],
      ['in', 'Última chance: crédito liberado para você 💳', 4990],
    ],
  },
];

/** What the spammers keep writing (round robin through the spammers, cycling through lines). */
export const SPAM_LINES = [
  '🔥 Só hoje: 70% de desconto em tudo! Clique: bit.ly/promo-xyz',
  '💰 Your crypto wallet has a pending bonus of R$ 5.000. Claim now!',
  'Trabalhe de casa e ganhe R$ 500 por dia!!! Vagas limitadas 💸',
  'ATENÇÃO: seu prêmio expira em 1 hora!!! Responda SIM',
  '🚀 100x in 24h, guaranteed. Join our VIP signals group.',
  'Renda extra garantida, sem experiência! Chame agora 📲',
];

const FIRST_NAMES = [
  'Ana', 'Bruno', 'Carla', 'Diego', 'Elisa', 'Fábio', 'Gabriela', 'Henrique', 'Isabela', 'Jorge', 'Larissa', 'Mateus',
  'Nathalie', 'Olivier', 'Pauline', 'Quentin', 'Rafaela', 'Sophie', 'Thiago', 'Valentin', 'Yasmin', 'Zoé',
];
const LAST_NAMES = [
  'Silva', 'Santos', 'Oliveira', 'Costa', 'Rodrigues', 'Martins', 'Barbosa', 'Rocha', 'Martin', 'Bernard', 'Petit',
  'Durand', 'Leroy', 'Fontaine', 'Mercier', 'Blanc',
];
const BULK_LINES: Array<['in' | 'out', string]> = [
  ['in', 'Olá, tudo bem? Tenho uma dúvida sobre meu pedido.'],
  ['out', 'Olá! Claro, como posso ajudar?'],
  ['in', 'Qual é o prazo de entrega?'],
  ['out', 'Entre 3 e 5 dias úteis.'],
  ['in', 'Bonjour, ma commande est-elle partie ?'],
  ['out', 'Oui, elle est en route !'],
];

export function bulkName(n: number): string {
  const first = FIRST_NAMES[n % FIRST_NAMES.length] ?? 'Cliente';
  const last = LAST_NAMES[Math.floor(n / FIRST_NAMES.length) % LAST_NAMES.length] ?? 'Silva';
  return `${first} ${last} ${n + 1}`;
}

/** Unique Brazilian mobile numbers in a range no fixed seed contact uses: +55 19 9xxxx-xxxx. */
export function bulkPhone(n: number): string {
  return `+55199${String(10_000_000 + n).slice(-8)}`;
}

export function bulkEmail(n: number): string {
  return `cliente${n + 1}@massa.example`;
}

export function bulkLine(i: number): ['in' | 'out', string] {
  return BULK_LINES[i % BULK_LINES.length] ?? ['in', 'Olá!'];
}

const BLOCKED_NAMES = ['Promo', 'Oferta Imperdível', 'Crédito Já', 'Bet Bônus', 'Crypto VIP', 'Ganhe Fácil', 'Prêmio', 'Renda Extra'];

/** Names of the contacts `POST /__control/seed-blocked` adds: spam senders, numbered. */
export function blockedName(n: number): string {
  return `${BLOCKED_NAMES[n % BLOCKED_NAMES.length] ?? 'Spam'} ${n + 1}`;
}
